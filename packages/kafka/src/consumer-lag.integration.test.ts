import { afterAll, describe, expect, it } from 'vitest';
import { createConsumerLagReader } from './consumer-lag.ts';
import { createIdempotentProducer } from './producers.ts';
import { testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';

const kafka = testKafka();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
});

describe('consumer lag', () => {
  it('is log end minus committed offset per partition, and the whole log before any commit', async () => {
    const topic = uniqueName('lag');
    const groupId = uniqueName('lag-group');
    await ensureTopics(kafka, [{ topic, partitions: 2 }]);
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    await producer.send({
      topic,
      messages: Array.from({ length: 5 }, (_, i) => ({ partition: 0, value: `a${i}` })),
    });
    await producer.send({
      topic,
      messages: Array.from({ length: 3 }, (_, i) => ({ partition: 1, value: `b${i}` })),
    });

    const reader = createConsumerLagReader(kafka, [{ groupId, topics: [topic] }]);
    cleanups.push(() => reader.close());
    expect(await reader.read()).toEqual([
      {
        groupId,
        totalLag: 8,
        partitions: [
          { topic, partition: 0, committedOffset: null, logEndOffset: 5, lag: 5 },
          { topic, partition: 1, committedOffset: null, logEndOffset: 3, lag: 3 },
        ],
      },
    ]);

    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.setOffsets({
        groupId,
        topic,
        partitions: [
          { partition: 0, offset: '4' },
          { partition: 1, offset: '3' },
        ],
      });
    } finally {
      await admin.disconnect();
    }
    const [group] = await reader.read();
    expect(group?.partitions.map((p) => [p.partition, p.committedOffset, p.lag])).toEqual([
      [0, 4, 1],
      [1, 3, 0],
    ]);
    expect(group?.totalLag).toBe(1);
  });
});
