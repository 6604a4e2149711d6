import { pollUntil, readFromStart, throwawayConsumer } from './throwaway-consumer.ts';
import type { ConsumedMessage, KafkaClient } from './types.ts';

export interface ReadPartitionsOptions {
  topic: string;
  /** Partitions to read and the offset to start each one at ('0' or a checkpoint). */
  from: ReadonlyMap<number, string>;
  /** Every partition of the topic, so the ones not asked for can be paused. */
  allPartitions: readonly number[];
  /** True for the last message wanted on that partition (for example a marker the caller wrote). */
  isLast: (partition: number, message: ConsumedMessage) => boolean;
  /** Receives each partition's messages in offset order; `next` is the offset after the last one. */
  onMessages: (partition: number, messages: ConsumedMessage[], next: string) => void | Promise<void>;
  /** Called while waiting, so a caller inside a consumer group can keep its own heartbeat going. */
  onIdle?: () => Promise<void>;
  timeoutMs?: number;
}

/**
 * Reads chosen partitions of a topic from given offsets up to a known last message, read_committed.
 * kafkajs has no manual assignment, so this joins a throw-away consumer group of one member that
 * commits nothing, seeks the wanted partitions and pauses the others.
 */
export async function readPartitions(kafka: KafkaClient, options: ReadPartitionsOptions): Promise<void> {
  const remaining = new Set(options.from.keys());
  if (remaining.size === 0) return;
  const consumer = throwawayConsumer(kafka, 'reader');
  let failed: Error | undefined;
  try {
    await readFromStart(consumer, options.topic, async ({ batch }) => {
      if (!remaining.has(batch.partition)) return;
      const wanted: ConsumedMessage[] = [];
      let done = false;
      for (const message of batch.messages) {
        wanted.push(message);
        if (options.isLast(batch.partition, message)) {
          done = true;
          break;
        }
      }
      const last = wanted[wanted.length - 1];
      if (last) {
        try {
          await options.onMessages(batch.partition, wanted, (BigInt(last.offset) + 1n).toString());
        } catch (err) {
          failed = err as Error;
          remaining.clear();
          return;
        }
      }
      if (done) {
        remaining.delete(batch.partition);
        consumer.pause([{ topic: options.topic, partitions: [batch.partition] }]);
      }
    });
    const others = options.allPartitions.filter((p) => !options.from.has(p));
    if (others.length > 0) consumer.pause([{ topic: options.topic, partitions: others }]);
    for (const [partition, offset] of options.from)
      consumer.seek({ topic: options.topic, partition, offset });

    const timeoutMs = options.timeoutMs ?? 600_000;
    await pollUntil(
      () => remaining.size === 0,
      timeoutMs,
      () =>
        `reading ${options.topic} partitions ${[...remaining].join(',')} did not reach the end within ${timeoutMs} ms`,
      options.onIdle,
    );
    if (failed) throw failed;
  } finally {
    await consumer.disconnect().catch(() => {});
  }
}
