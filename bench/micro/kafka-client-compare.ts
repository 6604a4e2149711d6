// Lever 6 of issue 10: a librdkafka client (node-rdkafka) against kafkajs (with our pnpm patch) on
// our workload, in the same run against the same local broker, interleaved A B A B per partition
// count: plain produce (1000 keyed 300-byte records per awaited send, acks=all, idempotent), plain
// consume, the dedupe hop with one transaction per input partition (production today), and with
// one transaction per 1000 records across partitions (KIP-447 fencing with librdkafka; kafkajs has
// no KIP-447, so its form is unfenced, measured for its cost only). CPU per record of this process
// (all threads, and its JS thread alone) and of the broker JVM, from /proc.
//
// UV_THREADPOOL_SIZE=16 pnpm exec tsx bench/micro/kafka-client-compare.ts [partitions...]
// (default 2 6); CLIENT_RECORDS records per step (default 100 000), CLIENT_ROUNDS pairs (default 2),
// CLIENT_WARMUP records per step of the untimed first round (default 10 000); CLIENTS=kafkajs for
// kafkajs alone.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createKafka, ensureTopics } from '@shopfloor/kafka';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { findProcess } from '../src/proc-sampler.ts';
import { kafkajsWorkload } from './kafka-clients/kafkajs-workload.ts';
import { printRatios } from './kafka-clients/ratios.ts';
import { verifyHops } from './kafka-clients/verify-hops.ts';
import {
  brokerIdleUsPerSecond,
  type ClientWorkload,
  formatMeasurement,
  type HopTopics,
  type Measurement,
  measure,
  SEND_SIZE,
} from './kafka-clients/workload.ts';

const partitionCounts = process.argv.slice(2).map(Number).filter(Boolean);
const TOTAL = Number(process.env.CLIENT_RECORDS ?? 100_000);
const ROUNDS = Number(process.env.CLIENT_ROUNDS ?? 2);
// Untimed first round of both clients: the broker's JIT and the clients' first connections.
const WARMUP = Number(process.env.CLIENT_WARMUP ?? 10_000);

const broker = await startLocalKafka({ dataDir: await mkdtemp(path.join(tmpdir(), 'client-compare-')) });
const brokerPid = findProcess(broker.pid, 'java');
// What the broker spends with no client (its JVM, KRaft): subtracted to show the per-record part.
const brokerIdle = { pid: brokerPid, idleUsPerSecond: await brokerIdleUsPerSecond(brokerPid, 10) };
const admin = createKafka({ brokers: broker.brokers, clientId: 'client-compare-admin' });
// CLIENTS=kafkajs measures kafkajs alone (no node-rdkafka build): an A/B of two kafkajs patches.
const withRdkafka = (process.env.CLIENTS ?? 'kafkajs,rdkafka').split(',').includes('rdkafka');
const clients: ClientWorkload[] = [kafkajsWorkload(broker.brokers)];
let clientVersions = 'kafkajs only';
if (withRdkafka) {
  // Imported only when asked for: node-rdkafka's native addon is built by `kafka-clients:build`.
  const { librdkafkaVersion } = await import('./kafka-clients/rdkafka-clients.ts');
  const { rdkafkaWorkload } = await import('./kafka-clients/rdkafka-workload.ts');
  clients.push(rdkafkaWorkload(broker.brokers));
  clientVersions = `librdkafka ${librdkafkaVersion()}`;
}
console.log(
  `${clientVersions}, UV_THREADPOOL_SIZE=${process.env.UV_THREADPOOL_SIZE ?? '4 (default)'}, ` +
    `${TOTAL} records per step, ${ROUNDS} rounds; broker idle ${Math.round(brokerIdle.idleUsPerSecond / 1e4)} % of a core`,
);

/** Fresh raw, state and change-batch topics for one client's round. */
async function hopTopics(name: string, partitions: number): Promise<HopTopics> {
  const prefix = `cc-${name}-p${partitions}-${Date.now()}`;
  const topics = { raw: `${prefix}.raw`, state: `${prefix}.state`, changes: `${prefix}.changes`, partitions };
  await ensureTopics(admin, [
    { topic: topics.raw, partitions },
    { topic: topics.state, partitions, compacted: true },
    { topic: topics.changes, partitions },
  ]);
  return topics;
}

/** One client's steps on fresh topics; the raw topic it produced feeds its consume and hop steps. */
async function round(client: ClientWorkload, partitions: number, total: number): Promise<Measurement[]> {
  const topics = await hopTopics(client.name, partitions);
  const labels = (step: string) => ({ client: client.name, step, partitions });
  const perTransaction = Math.ceil(SEND_SIZE / partitions); // one posted batch of 1000, spread
  const steps: [string, () => Promise<{ records: number; transactions: number }>][] = [
    ['produce', () => client.produce(topics.raw, total)],
    ['consume', () => client.consume(topics.raw, total)],
    ['hop-partition', () => client.hopPerPartition(topics, total, perTransaction)],
    ['hop-fetch', () => client.hopPerFetch(topics, total, SEND_SIZE)],
  ];
  const results: Measurement[] = [];
  for (const [step, run] of steps) {
    const m = await measure(brokerIdle, labels(step), run);
    console.log(`${total === WARMUP ? '(warm-up) ' : ''}${formatMeasurement(m)}`);
    results.push(m);
  }
  console.log(`${client.name.padEnd(9)} ${await verifyHops(admin, topics, client.name, total)}`);
  return results;
}

const all: Measurement[] = [];
try {
  for (const client of clients) await round(client, 2, WARMUP);
  for (const partitions of partitionCounts.length ? partitionCounts : [2, 6])
    for (let r = 0; r < ROUNDS; r++)
      for (const client of clients) all.push(...(await round(client, partitions, TOTAL)));
  printRatios(all);
} finally {
  await broker.stop();
}
