// Restore-time and memory-per-tracked-event benchmark for the dedupe state (issue: "scale-out and
// restart"). Run: pnpm bench:restore [--events 1000000]. Uses KAFKA_BROKERS when set, else starts a
// local broker of its own (stopped at the end, also on failure). Loopback only.
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { restorePartitions } from '@shopfloor/consumer';
import { payloadKey, stateRecordFor, type WinnerState } from '@shopfloor/contracts';
import { InMemoryStateStore, lmdbStateStores } from '@shopfloor/dedupe';
import { createIdempotentProducer, createKafka, ensureTopics, jsonCodecs } from '@shopfloor/kafka';
import { type LocalKafka, startLocalKafka } from '@shopfloor/local-kafka';
import { MemberProducer, PartitionOwner } from '@shopfloor/stream-runner';
import { pino } from 'pino';

const { values } = parseArgs({ options: { events: { type: 'string', default: '1000000' } } });
const N = Number(values.events);
const log = pino({ level: 'warn' });
const stateCodec = jsonCodecs().state;
const progress = (msg: string) => process.stdout.write(`[restore-bench] ${msg}\n`);

function winner(i: number): WinnerState {
  const w = {
    eventId: `bench-event-${i}`,
    eventTimeMs: 1_772_000_000_000 + i * 1000,
    machineId: `M-${i % 500}`,
    lineId: `L-${i % 50}`,
    factoryId: `F-${i % 5}`,
    durationMs: 1000 + (i % 5000),
    defectCount: i % 4,
    receivedAt: 1_772_000_000_000 + i * 1000 + 5,
    version: 1,
  };
  return { ...w, payloadKey: payloadKey({ ...w }) };
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const f of readdirSync(dir)) total += statSync(path.join(dir, f)).size;
  return total;
}

const work = mkdtempSync(path.join(tmpdir(), 'shopfloor-restore-bench-'));
let broker: LocalKafka | undefined;
const cleanup = async () => {
  await broker?.stop().catch(() => {});
  rmSync(work, { recursive: true, force: true });
};
for (const s of ['SIGINT', 'SIGTERM'] as const)
  process.once(s, () => void cleanup().then(() => process.exit(130)));

try {
  let brokers = process.env.KAFKA_BROKERS?.split(',');
  if (!brokers) {
    progress('starting a local broker');
    broker = await startLocalKafka({ dataDir: path.join(work, 'kafka'), watchParentPid: process.pid });
    brokers = broker.brokers;
  }
  const kafka = createKafka({ brokers, clientId: 'restore-bench' });
  const topic = `restore-bench-${Date.now()}.events.state`;
  await ensureTopics(kafka, [
    {
      topic,
      partitions: 1,
      compacted: true,
      configs: { 'segment.ms': '3600000', 'max.message.bytes': '67108864' },
    },
  ]);

  progress(`writing ${N} state records to ${topic} partition 0`);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const writeStart = Date.now();
  const chunk = 10_000;
  for (let i = 0; i < N; i += chunk) {
    const messages = [];
    for (let j = i; j < Math.min(N, i + chunk); j++) {
      const w = winner(j);
      messages.push({ key: w.eventId, value: stateCodec.encode(stateRecordFor(w)), partition: 0 });
    }
    await producer.send({ topic, messages, acks: -1 });
    if ((i / chunk) % 20 === 0) progress(`  written ${i + messages.length}/${N}`);
  }
  await producer.disconnect();
  const writeMs = Date.now() - writeStart;

  const stateDir = path.join(work, 'state');
  mkdirSync(stateDir, { recursive: true });
  const stores = lmdbStateStores(stateDir);
  const store = stores.open(0);
  const member = new MemberProducer(kafka, `restore-bench-${Date.now()}`, { transactionTimeoutMs: 60_000 });
  const owner = new PartitionOwner(member, store);
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;

  progress('restoring partition 0 into an empty store (full restore from offset 0)');
  const [full] = await restorePartitions({
    kafka,
    stateTopic: topic,
    stateCodec,
    allPartitions: [0],
    owners: [owner],
    log,
  });
  global.gc?.();
  const heapAfter = process.memoryUsage().heapUsed;
  progress(`  ${full!.records} records in ${full!.ms} ms`);

  progress('restoring again from the local checkpoint');
  const [fromCheckpoint] = await restorePartitions({
    kafka,
    stateTopic: topic,
    stateCodec,
    allPartitions: [0],
    owners: [owner],
    log,
  });
  progress(
    `  ${fromCheckpoint!.records} records in ${fromCheckpoint!.ms} ms (from offset ${fromCheckpoint!.from})`,
  );
  const tracked = store.count();
  await member.reset();
  await stores.close();
  const lmdbBytes = dirBytes(stateDir);

  progress('for comparison: the same events in the in-memory (JS heap) store');
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const mem = new InMemoryStateStore(0);
  const batch: [string, WinnerState][] = [];
  for (let i = 0; i < N; i++) batch.push([`bench-event-${i}`, winner(i)]);
  mem.apply(batch, String(N));
  batch.length = 0;
  global.gc?.();
  const heapPerEventInMemory = (process.memoryUsage().heapUsed - heap0) / N;

  const results = {
    date: new Date().toISOString(),
    machine: {
      cores: (await import('node:os')).cpus().length,
      memGiB: Math.round((await import('node:os')).totalmem() / 2 ** 30),
    },
    events: N,
    trackedAfterRestore: tracked,
    writeStateTopicMs: writeMs,
    fullRestore: {
      ms: full!.ms,
      records: full!.records,
      eventsPerSecond: Math.round((full!.records / full!.ms) * 1000),
    },
    checkpointRestore: {
      ms: fromCheckpoint!.ms,
      records: fromCheckpoint!.records,
      from: fromCheckpoint!.from,
    },
    lmdbBytesPerEvent: Math.round(lmdbBytes / N),
    jsHeapBytesPerEventLmdb: Math.round(Math.max(0, heapAfter - heapBefore) / N),
    jsHeapBytesPerEventInMemoryStore: Math.round(heapPerEventInMemory),
    gcExposed: typeof global.gc === 'function',
  };
  console.log('\n| measure | value |\n| --- | --- |');
  console.log(`| tracked events in the partition | ${N.toLocaleString('en')} |`);
  console.log(
    `| full restore (empty store, from offset 0) | ${results.fullRestore.ms} ms (${results.fullRestore.eventsPerSecond.toLocaleString('en')} events/s) |`,
  );
  console.log(
    `| restore from the local checkpoint | ${results.checkpointRestore.ms} ms (${results.checkpointRestore.records} records read) |`,
  );
  console.log(`| LMDB on disk per tracked event | ${results.lmdbBytesPerEvent} B |`);
  console.log(`| JS heap per tracked event, LMDB store | ${results.jsHeapBytesPerEventLmdb} B |`);
  console.log(
    `| JS heap per tracked event, in-memory store | ${results.jsHeapBytesPerEventInMemoryStore} B |`,
  );
  const out = path.resolve(import.meta.dirname, '../results');
  mkdirSync(out, { recursive: true });
  const file = path.join(out, `restore-${results.date.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  progress(`raw figures: ${file}`);
} finally {
  await cleanup();
}
