import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotentProducer, createTransactionalProducer } from './producers.ts';
import { readUntil, recordingMember, testKafka, uniqueName, waitUntil } from './testing.ts';
import { ensureTopics } from './topics.ts';

// KIP-447 through the patched kafkajs (patches/kafkajs@2.2.4.patch): TxnOffsetCommit v3 with the
// consumer's group metadata, and OffsetFetch v7 with require_stable, against the real broker.

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

async function seed(topic: string, partitions: number, records: number): Promise<void> {
  await ensureTopics(kafka, [{ topic, partitions }]);
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  await producer.send({
    topic,
    messages: Array.from({ length: records }, (_, i) => ({
      key: `k${i}`,
      value: `v${i}`,
      partition: i % partitions,
    })),
  });
  await producer.disconnect();
}

/** A member that records the group metadata of every batch it is handed (and never commits). */
async function member(groupId: string, topic: string) {
  const { consumer, batches } = await recordingMember(kafka, topic, { groupId, sessionTimeout: 10_000 });
  cleanups.push(() => consumer.disconnect());
  return { consumer, batches };
}

describe('KIP-447 fenced offset commits (TxnOffsetCommit v3)', () => {
  it('rejects the commit of a stale generation, and the transaction aborts', async () => {
    const topic = uniqueName('kip447-in');
    const output = uniqueName('kip447-out');
    const groupId = uniqueName('kip447-group');
    await seed(topic, 2, 20);
    await ensureTopics(kafka, [{ topic: output, partitions: 1 }]);
    const first = await member(groupId, topic);
    await waitUntil('a batch of the first generation', () => first.batches.length > 0);
    const stale = first.batches[0]!.groupMetadata;
    expect(stale.generationId).toBeGreaterThan(0);
    expect(stale.memberId).not.toBe('');

    // A second member joins: the group moves to a new generation, the first member rejoins it.
    const joined = new Set<string>();
    first.consumer.on(first.consumer.events.GROUP_JOIN, (e) => joined.add(String(e.payload.groupId)));
    await member(groupId, topic);
    await waitUntil('the rejoin', () => joined.size > 0);

    const producer = createTransactionalProducer(kafka, uniqueName('kip447-tx'));
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const offsets = {
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: '3' }] }],
    };

    const tx = await producer.transaction();
    await tx.send({ topic: output, messages: [{ key: 'stale', value: 'from a stale generation' }] });
    const rejected = await tx.sendOffsets({ ...offsets, groupMetadata: stale }).then(
      () => undefined,
      (error: unknown) => error as { type?: string },
    );
    expect(['ILLEGAL_GENERATION', 'UNKNOWN_MEMBER_ID']).toContain(rejected?.type);
    await tx.abort();

    // Without group metadata (v3 with generation -1) the same commit is accepted, unfenced.
    const open = await producer.transaction();
    await open.send({ topic: output, messages: [{ key: 'unfenced', value: 'unfenced' }] });
    await open.sendOffsets(offsets);
    await open.commit();

    const records = await readUntil(kafka, output, (r) => r.some((x) => x.key === 'unfenced'));
    expect(records.map((r) => r.key)).toEqual(['unfenced']);
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions.find((p) => p.partition === 0)?.offset).toBe('3');
  }, 120_000);

  it('accepts the commit of the current generation', async () => {
    const topic = uniqueName('kip447-cur');
    const groupId = uniqueName('kip447-cur-group');
    await seed(topic, 1, 5);
    const only = await member(groupId, topic);
    await waitUntil('a batch', () => only.batches.length > 0);
    const producer = createTransactionalProducer(kafka, uniqueName('kip447-cur-tx'));
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const tx = await producer.transaction();
    await tx.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: '5' }] }],
      groupMetadata: only.batches.at(-1)!.groupMetadata,
    });
    await tx.commit();
    await only.consumer.stop();
    const admin = kafka.admin();
    await admin.connect();
    cleanups.push(() => admin.disconnect());
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    expect(committed?.partitions[0]?.offset).toBe('5');
  }, 60_000);
});

describe('KIP-447 stable offsets (OffsetFetch v7, require_stable)', () => {
  it('a read_committed member waits for a pending transactional offset commit, then starts after it', async () => {
    const topic = uniqueName('kip447-stable');
    const groupId = uniqueName('kip447-stable-group');
    await seed(topic, 1, 10);
    const producer = createTransactionalProducer(kafka, uniqueName('kip447-stable-tx'));
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const tx = await producer.transaction();
    await tx.sendOffsets({
      consumerGroupId: groupId,
      topics: [{ topic, partitions: [{ partition: 0, offset: '6' }] }],
    });

    const firstOffsets: string[] = [];
    const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 50 });
    await consumer.connect();
    cleanups.push(() => consumer.disconnect());
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({
      autoCommit: false,
      eachBatch: async ({ batch }) => {
        if (!batch.isEmpty()) firstOffsets.push(batch.firstOffset()!);
      },
    });
    await sleep(3_000); // joined and fetching, but the offset of partition 0 is not stable yet
    expect(firstOffsets).toEqual([]);
    await tx.commit();
    await waitUntil('the first batch', () => firstOffsets.length > 0, 30_000);
    expect(firstOffsets[0]).toBe('6');
  }, 60_000);
});
