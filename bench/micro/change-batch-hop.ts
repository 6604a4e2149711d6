// Lever 1 of issue 10, measured at the Kafka hop alone: the changes of one dedupe transaction as
// one record per change (today) or as ONE batch record (an Avro array of the same ChangeRecord),
// produced in Kafka transactions on a real broker and consumed read_committed and decoded.
// CPU per change = this process (produce + consume + codecs) + the broker JVM, from /proc.
// `tsx bench/micro/change-batch-hop.ts [changes per transaction...]` (default 170 17: the changes of
// one partition's transaction at 1000 and 100 events per posted batch on 6 partitions); HOP_CHANGES
// changes per mode (default 60 000: 1-4 min per mode on a busy 2-core machine).
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ChangeRecord } from '@shopfloor/contracts';
import { createKafka, createTransactionalProducer, ensureTopics } from '@shopfloor/kafka';
import { startLocalKafka } from '@shopfloor/local-kafka';
import { fixedSchemaCodec } from '@shopfloor/schema-registry';
import { findProcess, processCpuSeconds } from '../src/proc-sampler.ts';

const here = path.dirname(new URL(import.meta.url).pathname);
// The ChangeRecord is the item type of the checked-in batch record (its own .avsc is retired).
const batchSchema = JSON.parse(
  readFileSync(path.join(here, '../../packages/contracts/avro/change-batch-record.avsc'), 'utf8'),
);
const changeSchema = batchSchema.fields.find((f: { name: string }) => f.name === 'changes').type.items;
const fixture = JSON.parse(
  readFileSync(path.join(here, '../../packages/contracts/fixtures/change-record.accepted.v1.json'), 'utf8'),
) as ChangeRecord;
const single = fixedSchemaCodec<ChangeRecord>(changeSchema, 1);
const batch = fixedSchemaCodec<{ v: 1; changes: ChangeRecord[] }>(batchSchema, 2);

const broker = await startLocalKafka({ dataDir: await mkdtemp(path.join(tmpdir(), 'hop-')) });
const brokerPid = findProcess(broker.pid, 'java');
const kafka = createKafka({ brokers: broker.brokers, clientId: 'hop' });
const PARTITIONS = 6;
const TOTAL = Number(process.env.HOP_CHANGES ?? 60_000); // per mode; 4 modes per size
try {
  for (const perTx of process.argv.slice(2).map(Number).filter(Boolean).length
    ? process.argv.slice(2).map(Number)
    : [170, 17]) {
    for (const mode of ['per-change', 'batch', 'per-change', 'batch'] as const) {
      const topic = `hop-${mode}-${perTx}-${Date.now()}`;
      await ensureTopics(kafka, [{ topic, partitions: PARTITIONS }]);
      const producers = await Promise.all(
        Array.from({ length: PARTITIONS }, async (_, p) => {
          const producer = createTransactionalProducer(kafka, `${topic}.${p}`);
          await producer.connect();
          return producer;
        }),
      );
      const consumer = kafka.consumer({ groupId: `${topic}.g`, readUncommitted: false });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      let seen = 0;
      let decodeFailures = 0;
      const done = new Promise<void>((resolve) => {
        void consumer.run({
          eachBatch: async ({ batch: b }) => {
            for (const m of b.messages) {
              if (mode === 'batch') {
                const r = await batch.decode(m.value);
                if (r.ok) seen += r.value.changes.length;
                else decodeFailures++;
              } else {
                const r = await single.decode(m.value);
                if (r.ok) seen++;
                else decodeFailures++;
              }
            }
            if (seen >= TOTAL) resolve();
          },
        });
      });
      const cpu0 = process.cpuUsage();
      const broker0 = processCpuSeconds(brokerPid);
      const t0 = performance.now();
      let n = 0;
      // One transaction per partition at a time, all partitions concurrently, as the dedupe runner does.
      await Promise.all(
        producers.map(async (producer, partition) => {
          while (n < TOTAL) {
            const changes = Array.from({ length: perTx }, () => ({ ...fixture, eventId: `E-${n++}` }));
            const messages =
              mode === 'batch'
                ? [{ key: null, value: batch.encode({ v: 1, changes }), partition }]
                : changes.map((c) => ({ key: c.eventId, value: single.encode(c), partition }));
            const tx = await producer.transaction();
            await tx.send({ topic, messages });
            await tx.commit();
          }
        }),
      );
      // Bounded: a decode failure must not leave the run waiting forever.
      await Promise.race([done, sleep(120_000)]);
      const seconds = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      const nodeUs = ((cpu.user + cpu.system) / seen).toFixed(1);
      const brokerUs = (((processCpuSeconds(brokerPid) - broker0) * 1e6) / seen).toFixed(1);
      console.log(
        `${String(perTx).padStart(4)} changes/tx ${mode.padEnd(10)}: ${seen} changes in ${seconds.toFixed(1)} s (${Math.round(seen / seconds)}/s); CPU per change: node ${nodeUs} us, broker ${brokerUs} us${decodeFailures ? `; ${decodeFailures} decode failures` : ''}`,
      );
      await consumer.disconnect();
      await Promise.all(producers.map((p) => p.disconnect()));
    }
  }
} finally {
  await broker.stop();
}
