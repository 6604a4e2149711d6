import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotentProducer, createTransactionalProducer } from './producers.ts';
import { decodeJson, encodeJson } from './serde.ts';
import { readUntil, testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';
import type { Admin, Producer } from './types.ts';

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

const INPUTS = 20;

/** Committed offsets of `groupId` on `topic`, by partition ('-1' = nothing committed). */
async function committed(admin: Admin, groupId: string, topic: string): Promise<Record<number, string>> {
  const [entry] = await admin.fetchOffsets({ groupId, topics: [topic] });
  return Object.fromEntries((entry?.partitions ?? []).map((p) => [p.partition, p.offset]));
}

/**
 * One consume-transform-produce pass: every input batch becomes one transaction holding the
 * transformed records and the group's next offsets, then committed or aborted.
 */
async function transformAll(opts: {
  producer: Producer;
  groupId: string;
  input: string;
  output: string;
  outcome: 'commit' | 'abort';
}): Promise<void> {
  const consumer = kafka.consumer({ groupId: opts.groupId, maxWaitTimeInMs: 100 });
  await consumer.connect();
  try {
    let processed = 0;
    await consumer.subscribe({ topic: opts.input, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        const txn = await opts.producer.transaction();
        try {
          await txn.send({
            topic: opts.output,
            messages: batch.messages.map((m) => {
              const decoded = decodeJson<{ n: number }>(m.value);
              if (!decoded.ok) throw new Error(decoded.error);
              return { key: m.key, value: encodeJson({ n: decoded.value.n, square: decoded.value.n ** 2 }) };
            }),
          });
          await txn.sendOffsets({
            consumerGroupId: opts.groupId,
            topics: [
              {
                topic: batch.topic,
                partitions: [
                  { partition: batch.partition, offset: (BigInt(batch.lastOffset()) + 1n).toString() },
                ],
              },
            ],
          });
        } catch (err) {
          await txn.abort();
          throw err;
        }
        await (opts.outcome === 'commit' ? txn.commit() : txn.abort());
        processed += batch.messages.length;
      },
    });
    await expect.poll(() => processed, { timeout: 30_000 }).toBeGreaterThanOrEqual(INPUTS);
  } finally {
    await consumer.disconnect();
  }
}

describe('consume-transform-produce transactions (Kafka 3.9)', () => {
  it('hides aborted output and offsets, exposes committed ones to read_committed', async () => {
    const input = uniqueName('tx-in');
    const output = uniqueName('tx-out');
    const groupId = uniqueName('tx-group');
    await ensureTopics(kafka, [
      { topic: input, partitions: 2 },
      { topic: output, partitions: 1 },
    ]);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());

    const source = createIdempotentProducer(kafka);
    await source.connect();
    cleanups.push(() => source.disconnect());
    await source.send({
      topic: input,
      messages: Array.from({ length: INPUTS }, (_, n) => ({ key: `k${n}`, value: encodeJson({ n }) })),
    });

    const producer = createTransactionalProducer(kafka, uniqueName('tx-id'));
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    // 1. Aborted pass: records were written (read_uncommitted sees them) but are invisible to
    //    read_committed, and the group's offsets did not move.
    await transformAll({ producer, groupId, input, output, outcome: 'abort' });
    expect(Object.values(await committed(admin, groupId, input))).toEqual(['-1', '-1']);
    const uncommitted = await readUntil(kafka, output, (r) => r.length >= INPUTS, { readUncommitted: true });
    expect(uncommitted).toHaveLength(INPUTS);

    // A committed sentinel marks the end for the read_committed reader.
    const sentinel = await producer.transaction();
    await sentinel.send({
      topic: output,
      messages: [{ key: 'sentinel', value: encodeJson({ sentinel: true }) }],
    });
    await sentinel.commit();
    const afterAbort = await readUntil(kafka, output, (r) => r.some((x) => x.key === 'sentinel'));
    expect(afterAbort.map((r) => r.key)).toEqual(['sentinel']);

    // 2. Committed pass: the same group starts over (nothing was committed) and this time the
    //    output and the offsets become visible atomically.
    await transformAll({ producer, groupId, input, output, outcome: 'commit' });
    const ends = await admin.fetchTopicOffsets(input);
    const offsets = await committed(admin, groupId, input);
    for (const { partition, high } of ends) expect(offsets[partition]).toBe(high);
    expect(ends.reduce((sum, { high }) => sum + Number(high), 0)).toBe(INPUTS);

    const visible = await readUntil(kafka, output, (r) => r.length >= INPUTS + 1);
    await sleep(500);
    const results = visible.filter((r) => r.key !== 'sentinel');
    expect(results).toHaveLength(INPUTS);
    expect(results.map((r) => JSON.parse(r.value ?? 'null').square).sort((a, b) => a - b)).toEqual(
      Array.from({ length: INPUTS }, (_, n) => n * n),
    );
  });

  it('looks each coordinator up once over many transactions (patched kafkajs)', async () => {
    const topic = uniqueName('tx-coordinator');
    const groupId = uniqueName('tx-coordinator-group');
    await ensureTopics(kafka, [{ topic, partitions: 1 }]);
    const producer = createTransactionalProducer(kafka, uniqueName('tx-id'));
    // kafkajs names FindCoordinator 'GroupCoordinator', for groups and transactions alike.
    let lookups = 0;
    producer.on(producer.events.REQUEST, ({ payload }) => {
      if (payload.apiName === 'GroupCoordinator') lookups++;
    });
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const TRANSACTIONS = 5;
    for (let n = 0; n < TRANSACTIONS; n++) {
      const txn = await producer.transaction();
      await txn.send({ topic, messages: [{ key: `k${n}`, value: encodeJson({ n }) }] });
      await txn.sendOffsets({
        consumerGroupId: groupId,
        topics: [{ topic, partitions: [{ partition: 0, offset: String(n + 1) }] }],
      });
      await txn.commit();
    }
    // The transaction's coordinator (at connect) and the group's (at the first sendOffsets); kafkajs
    // 2.2.4 looked one up before each AddPartitionsToTxn, AddOffsetsToTxn, TxnOffsetCommit and
    // EndTxn: 1 + 4 x 5 here.
    expect(lookups).toBe(2);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    expect(await committed(admin, groupId, topic)).toEqual({ 0: String(TRANSACTIONS) });
    const written = await readUntil(kafka, topic, (r) => r.length >= TRANSACTIONS);
    expect(written.map((r) => r.key)).toEqual(['k0', 'k1', 'k2', 'k3', 'k4']);
  });
});
