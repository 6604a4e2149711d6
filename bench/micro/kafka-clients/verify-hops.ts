// What the hops left committed, read back read_committed: a benchmark that commits nothing, or twice,
// would show here. After both hops of a round the change batches hold two decisions per raw record
// (one per hop), the state changelog a record for every raw key (it is compacted: the cleaner may
// already have merged the two hops' records of a key), and each hop group's committed offsets are the
// raw topic's ends.
import {
  type ConsumedMessage,
  fetchCommittedOffsets,
  fetchLogRanges,
  type KafkaClient,
  scanLog,
} from '@shopfloor/kafka';
import { CHANGE_BYTES, type HopTopics, hopGroupId } from './workload.ts';

async function readCommitted(kafka: KafkaClient, topic: string, onMessage: (m: ConsumedMessage) => void) {
  await scanLog(kafka, {
    topic,
    ranges: await fetchLogRanges(kafka, topic),
    onMessages: (_, messages) => messages.forEach(onMessage),
  });
}

/** One line saying whether the round's hops committed exactly what they read. */
export async function verifyHops(kafka: KafkaClient, topics: HopTopics, client: string, records: number) {
  const stateKeys = new Set<string>();
  await readCommitted(kafka, topics.state, (m) => stateKeys.add(String(m.key)));
  let decisions = 0;
  await readCommitted(kafka, topics.changes, (m) => {
    decisions += (m.value?.length ?? 0) / CHANGE_BYTES;
  });
  const ends = new Map((await fetchLogRanges(kafka, topics.raw)).map((r) => [r.partition, r.end]));
  const groupsAtEnd = await Promise.all(
    (['partition', 'fetch'] as const).map(async (form) => {
      const committed = await fetchCommittedOffsets(kafka, hopGroupId(topics, client, form), [topics.raw]);
      return committed.every((c) => c.offset === ends.get(c.partition));
    }),
  );
  const ok = stateKeys.size === records && decisions === 2 * records && groupsAtEnd.every(Boolean);
  return (
    `${ok ? 'verified' : 'MISMATCH'}: ${decisions} decisions committed (expected ${2 * records}), ` +
    `state for ${stateKeys.size} keys (expected ${records}), hop groups at the raw ends: ${groupsAtEnd.join(', ')}`
  );
}
