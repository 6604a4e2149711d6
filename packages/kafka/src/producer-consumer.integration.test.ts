import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { createIdempotentProducer } from './producers.ts';
import { decodeJson, encodeJson } from './serde.ts';
import { testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';
import type { Consumer } from './types.ts';

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('idempotent producer and a two-member consumer group (Kafka 3.9)', () => {
  it('ensureTopics creates missing topics once and leaves existing ones alone', async () => {
    const topic = uniqueName('ensure');
    expect(await ensureTopics(kafka, [{ topic, partitions: 3 }])).toEqual([topic]);
    expect(await ensureTopics(kafka, [{ topic, partitions: 5 }])).toEqual([]);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      expect(topics[0]?.partitions).toHaveLength(3);
    } finally {
      await admin.disconnect();
    }
  });

  it('shares partitions between two members and consumes every message exactly once', async () => {
    const topic = uniqueName('events');
    const groupId = uniqueName('group');
    const partitions = 4;
    const total = 400;
    await ensureTopics(kafka, [{ topic, partitions }]);

    // Who consumed what, and each member's latest assignment.
    const seen: { member: number; partition: number; offset: string; id: number }[] = [];
    const assignments = new Map<number, number[]>();
    const startMember = async (member: number): Promise<Consumer> => {
      const consumer = kafka.consumer({
        groupId,
        heartbeatInterval: 300,
        sessionTimeout: 10_000,
        maxWaitTimeInMs: 100,
      });
      cleanups.push(() => consumer.disconnect());
      consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
        assignments.set(member, payload.memberAssignment[topic] ?? []);
      });
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const decoded = decodeJson<{ id: number }>(message.value);
          if (!decoded.ok) throw new Error(decoded.error);
          seen.push({ member, partition, offset: message.offset, id: decoded.value.id });
        },
      });
      return consumer;
    };
    await startMember(1);
    await startMember(2);
    await expect
      .poll(() => [...(assignments.get(1) ?? []), ...(assignments.get(2) ?? [])].sort(), { timeout: 30_000 })
      .toEqual([0, 1, 2, 3]);
    expect(assignments.get(1)?.length).toBeGreaterThan(0);
    expect(assignments.get(2)?.length).toBeGreaterThan(0);

    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    for (let batch = 0; batch < 4; batch++) {
      await producer.send({
        topic,
        messages: Array.from({ length: total / 4 }, (_, i) => {
          const id = batch * (total / 4) + i;
          return { key: `machine-${id % 37}`, value: encodeJson({ id }) };
        }),
      });
    }

    await expect.poll(() => seen.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(total);
    await sleep(1_000); // a duplicate would show up now

    expect(seen).toHaveLength(total);
    expect(new Set(seen.map((s) => s.id)).size).toBe(total);
    expect(new Set(seen.map((s) => `${s.partition}:${s.offset}`)).size).toBe(total);
    // Each partition was read by exactly one member, and both members did work.
    for (let p = 0; p < partitions; p++) {
      expect(new Set(seen.filter((s) => s.partition === p).map((s) => s.member)).size).toBe(1);
    }
    expect(new Set(seen.map((s) => s.member))).toEqual(new Set([1, 2]));
    // Same key, same partition: the Java-compatible partitioner keeps keys together.
    const partitionOfKey = new Map<string, number>();
    for (const s of seen) {
      const key = `machine-${s.id % 37}`;
      expect(partitionOfKey.get(key) ?? s.partition).toBe(s.partition);
      partitionOfKey.set(key, s.partition);
    }
  });
});
