// Several processes start at once on a fresh broker and each ensures the same topics (the all-in-one
// and the split topology, the chaos harness): whichever loses the creation race must still find
// every partition led when ensureTopics returns, or its first produce or join fails with
// UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE.
import { describe, expect, it } from 'vitest';
import { testKafka, uniqueName } from './testing.ts';
import { ensureTopics, type TopicSpec } from './topics.ts';

const kafka = testKafka();

describe('ensureTopics from several callers at once', () => {
  it('every caller returns only once every partition of every topic has a leader', async () => {
    for (let round = 0; round < 3; round++) {
      const prefix = uniqueName(`race${round}`);
      const specs: TopicSpec[] = Array.from({ length: 8 }, (_, i) => ({
        topic: `${prefix}.t${i}`,
        partitions: 6,
        compacted: i % 2 === 0,
      }));
      const admin = kafka.admin();
      await admin.connect();
      try {
        const leaderless = async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: specs.map((s) => s.topic) });
          return topics.flatMap((t) =>
            t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`),
          );
        };
        // Each caller checks the leaders the moment its own ensureTopics returns.
        const seen = await Promise.all(
          Array.from({ length: 4 }, async () => {
            await ensureTopics(kafka, specs);
            return leaderless().catch((err: Error) => [`metadata failed: ${err.message}`]);
          }),
        );
        expect(seen).toEqual([[], [], [], []]);
      } finally {
        await admin.disconnect();
      }
    }
  });
});
