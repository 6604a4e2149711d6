// What the hops left committed, read back read_committed: a benchmark that commits nothing, or twice,
// would show here. After both hops of a round every raw record has two state records and two
// decisions in change batches, and each hop group's committed offsets are the raw topic's ends.
import { fetchCommittedOffsets, fetchLogRanges, type KafkaClient, scanLog } from '@shopfloor/kafka';
import { CHANGE_BYTES, type HopTopics, hopGroupId } from './workload.ts';

async function countCommitted(kafka: KafkaClient, topic: string, size: (value: Buffer | null) => number) {
  let total = 0;
  await scanLog(kafka, {
    topic,
    ranges: await fetchLogRanges(kafka, topic),
    onMessages: (_, messages) => {
      for (const m of messages) total += size(m.value);
    },
  });
  return total;
}

/** One line saying whether the round's hops committed exactly what they read. */
export async function verifyHops(kafka: KafkaClient, topics: HopTopics, client: string, records: number) {
  const states = await countCommitted(kafka, topics.state, () => 1);
  const decisions = await countCommitted(kafka, topics.changes, (v) => (v?.length ?? 0) / CHANGE_BYTES);
  const ends = new Map((await fetchLogRanges(kafka, topics.raw)).map((r) => [r.partition, r.end]));
  const groupsAtEnd = await Promise.all(
    (['partition', 'fetch'] as const).map(async (form) => {
      const committed = await fetchCommittedOffsets(kafka, hopGroupId(topics, client, form), [topics.raw]);
      return committed.every((c) => c.offset === ends.get(c.partition));
    }),
  );
  const ok = states === 2 * records && decisions === 2 * records && groupsAtEnd.every(Boolean);
  return (
    `${ok ? 'verified' : 'MISMATCH'}: ${states} state records and ${decisions} decisions committed ` +
    `(expected ${2 * records} each), hop groups at the raw ends: ${groupsAtEnd.join(', ')}`
  );
}
