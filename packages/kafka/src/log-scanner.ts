import type { PartitionRange } from './admin-queries.ts';
import { pollUntil, readFromStart, throwawayConsumer } from './throwaway-consumer.ts';
import type { ConsumedMessage, KafkaClient } from './types.ts';

export interface ScanLogOptions {
  topic: string;
  /** Each partition's range to read, as `fetchLogRanges` gave it: read from its start to its end. */
  ranges: readonly PartitionRange[];
  /** Receives each partition's committed messages below its end, in offset order. */
  onMessages: (partition: number, messages: ConsumedMessage[]) => void;
  timeoutMs?: number;
}

/**
 * Reads a whole topic up to the ends given (a snapshot of the log ends), read_committed, for
 * read-only tools (counting a compacted topic's live keys). Unlike `readPartitions` it needs no
 * marker: a partition is done once the consumer's position passed its end, which also holds when the
 * last offsets are transaction markers or aborted records (never handed to eachBatch; kafkajs still
 * reports how far it got through its batch events). Joins a throw-away group that commits nothing.
 */
export async function scanLog(kafka: KafkaClient, options: ScanLogOptions): Promise<void> {
  const ends = new Map(options.ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r.end]));
  if (ends.size === 0) return;
  const reached = new Map<number, bigint>();
  const consumer = throwawayConsumer(kafka, 'scan');
  const advance = (partition: number, lastOffset: string) => {
    const next = BigInt(lastOffset) + 1n;
    if (next > (reached.get(partition) ?? -1n)) reached.set(partition, next);
  };
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) =>
    advance(payload.partition, payload.lastOffset),
  );
  const done = () => [...ends].every(([p, end]) => (reached.get(p) ?? -1n) >= end);
  try {
    await readFromStart(consumer, options.topic, async ({ batch }) => {
      const end = ends.get(batch.partition);
      if (end === undefined) return;
      const wanted = batch.messages.filter((m) => BigInt(m.offset) < end);
      if (wanted.length > 0) options.onMessages(batch.partition, wanted);
    });
    const timeoutMs = options.timeoutMs ?? 120_000;
    await pollUntil(done, timeoutMs, () => {
      const behind = [...ends].filter(([p, end]) => (reached.get(p) ?? -1n) < end).map(([p]) => p);
      return `reading ${options.topic} partitions ${behind.join(',')} did not reach the end within ${timeoutMs} ms`;
    });
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}
