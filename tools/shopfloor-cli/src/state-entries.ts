import { type KafkaClient, type PartitionRange, scanLog } from '@shopfloor/kafka';

/**
 * Keys Shopfloor writes to a state changelog for itself (the dedupe members' restore markers,
 * `RESTORE_MARKER_KEY` of @shopfloor/stream-runner) start with a NUL character: they are no entries.
 */
const isInternalKey = (key: string) => key.startsWith('\u0000');

/**
 * The state entries of each partition as the changelog (events.state) says: the keys whose latest
 * record is a value, not a tombstone. That is what the member holding the partition has, whichever
 * process it is (the state is restored from exactly these records), and it needs no process to
 * answer. Reads the topic once up to its current end (its log records, not the entries, bound the
 * time); keeps the live keys of every partition in memory meanwhile.
 */
export async function countStateEntries(
  kafka: KafkaClient,
  topic: string,
  ranges: readonly PartitionRange[],
  timeoutMs?: number,
): Promise<Map<number, number>> {
  const live = new Map<number, Set<string>>(ranges.map((r) => [r.partition, new Set<string>()]));
  await scanLog(kafka, {
    topic,
    ranges,
    ...(timeoutMs ? { timeoutMs } : {}),
    onMessages: (partition, messages) => {
      const keys = live.get(partition)!;
      for (const m of messages) {
        const key = m.key?.toString('utf8');
        if (!key || isInternalKey(key)) continue;
        if (m.value === null) keys.delete(key);
        else keys.add(key);
      }
    },
  });
  return new Map([...live].map(([p, keys]) => [p, keys.size]));
}
