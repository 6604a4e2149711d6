// What both clients run, and how a run is measured: the same records, the same topics, the same
// transaction sizes; CPU of this process (every thread: kafkajs' JS and librdkafka's native threads)
// and of the broker JVM, from the kernel's counters.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The topics of one dedupe hop: raw in, state changelog and change batches out (co-partitioned). */
export type HopTopics = { raw: string; state: string; changes: string; partitions: number };

/** The consumer group (and transactional id prefix) of one client's hop. */
export const hopGroupId = (topics: HopTopics, client: string, form: 'partition' | 'fetch') =>
  `${topics.raw}.hop-${client}-${form}`;

/** What one step did: records handled and transactions committed. */
export type Counts = { records: number; transactions: number };

/** One client's implementation of the workload; every method resolves when `total` records are done. */
export interface ClientWorkload {
  readonly name: string;
  /** Keyed records, `SEND_SIZE` per send, each send awaited (acks=all, idempotent). */
  produce(topic: string, total: number): Promise<Counts>;
  /** A consumer group reading the topic from the start until `total` records arrived. */
  consume(topic: string, total: number): Promise<Counts>;
  /**
   * The dedupe hop as production runs it: read_committed, per input partition a transaction of at
   * most `perTransaction` input records holding one state record per input record and one change
   * batch record, plus the input offset (sendOffsets), on that partition's own producer.
   */
  hopPerPartition(topics: HopTopics, total: number, perTransaction: number): Promise<Counts>;
  /** One transaction per `perFetch` input records across partitions, on one producer (KIP-447 fencing). */
  hopPerFetch(topics: HopTopics, total: number, perFetch: number): Promise<Counts>;
}

export const SEND_SIZE = 1000;
export const RAW_VALUE = Buffer.alloc(300, 'r');
/** Sizes of the Avro records the dedupe hop writes (the contracts' fixtures, encoded). */
export const STATE_VALUE = Buffer.alloc(74, 's');
export const CHANGE_BYTES = 50;
const changeBatches = Buffer.alloc(CHANGE_BYTES * 2 * SEND_SIZE, 'c');
/** A change batch record holding `changes` decisions (a view: no allocation per transaction). */
export const changeBatchValue = (changes: number) => changeBatches.subarray(0, CHANGE_BYTES * changes);
export const eventKey = (i: number) => `E-${String(i).padStart(9, '0')}`;
export const nextOffset = (offset: string | number) => String(BigInt(offset) + 1n);

/** Splits `items` into runs of at most `size`. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type Measurement = Counts & {
  client: string;
  step: string;
  partitions: number;
  seconds: number;
  nodeUsPerRecord: number;
  /** The part of nodeUsPerRecord on the main (JS) thread. */
  mainThreadUsPerRecord: number;
  brokerUsPerRecord: number;
  /** The broker's CPU per record less what it spends idle over the same wall time. */
  brokerNetUsPerRecord: number;
  load: [number, number];
};

const jiffiesOf = (pid: number, file = `/proc/${pid}/stat`) => {
  const fields = readFileSync(file, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (100 Hz)
};

// This process's main thread: the one JS thread the pipeline shares (librdkafka has threads of its own).
const mainThreadJiffies = () => jiffiesOf(process.pid, `/proc/self/task/${process.pid}/stat`);

/** The broker's CPU with no client connected, in us per second of wall time. */
export async function brokerIdleUsPerSecond(brokerPid: number, seconds: number): Promise<number> {
  const j0 = jiffiesOf(brokerPid);
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  return ((jiffiesOf(brokerPid) - j0) * 10_000) / seconds;
}

/** Runs one step and takes its CPU (this process, the broker) and wall time. */
export async function measure(
  broker: { pid: number; idleUsPerSecond: number },
  labels: { client: string; step: string; partitions: number },
  run: () => Promise<Counts>,
): Promise<Measurement> {
  const load0 = loadavg()[0]!;
  const cpu0 = process.cpuUsage();
  const broker0 = jiffiesOf(broker.pid);
  const main0 = mainThreadJiffies();
  const t0 = performance.now();
  const counts = await run();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const brokerUs = (jiffiesOf(broker.pid) - broker0) * 10_000;
  const mainUs = (mainThreadJiffies() - main0) * 10_000;
  return {
    ...labels,
    ...counts,
    seconds,
    nodeUsPerRecord: (cpu.user + cpu.system) / counts.records,
    mainThreadUsPerRecord: mainUs / counts.records,
    brokerUsPerRecord: brokerUs / counts.records,
    brokerNetUsPerRecord: (brokerUs - broker.idleUsPerSecond * seconds) / counts.records,
    load: [load0, loadavg()[0]!],
  };
}

const fixed = (n: number, digits = 1) => n.toFixed(digits);

export function formatMeasurement(m: Measurement): string {
  const perTx = m.transactions ? `, ${m.transactions} tx (${fixed(m.transactions / m.seconds)}/s)` : '';
  return (
    `${m.client.padEnd(9)} ${m.step.padEnd(15)} P=${m.partitions}: ${m.records} records in ${fixed(m.seconds)} s ` +
    `(${Math.round(m.records / m.seconds)}/s${perTx}); CPU us/record node ${fixed(m.nodeUsPerRecord)} ` +
    `(JS thread ${fixed(m.mainThreadUsPerRecord)}) + ` +
    `broker ${fixed(m.brokerUsPerRecord)} = ${fixed(m.nodeUsPerRecord + m.brokerUsPerRecord)} ` +
    `(broker net of idle ${fixed(m.brokerNetUsPerRecord)}); ` +
    `load ${fixed(m.load[0])}-${fixed(m.load[1])}`
  );
}
