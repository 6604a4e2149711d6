import type { Consumer, KafkaClient } from '@shopfloor/kafka';
import { createGroupCommitQueue } from './group-commit-queue.ts';
import type { FetchedBatch } from './group-sink.ts';

/** Measured: one insert per table costs 20-30 ms on the embedded engine whatever its size. */
export const GROUP_COMMIT_WINDOW_MS = 15;

/** The projector's consumer: read_committed, offsets committed by the projector only. */
export function createProjectorConsumer(
  kafka: KafkaClient,
  options: { groupId: string; sessionTimeoutMs: number },
): Consumer {
  return kafka.consumer({
    groupId: options.groupId,
    readUncommitted: false,
    // The broker holds a fetch up to 30 ms for 1 MiB, so the partitions of one posted batch (their
    // dedupe transactions end a few ms apart) come in one fetch and make one group insert.
    minBytes: 1024 * 1024,
    maxWaitTimeInMs: 30,
    maxBytesPerPartition: 4 * 1024 * 1024,
    sessionTimeout: options.sessionTimeoutMs,
  });
}

/**
 * Feeds the consumer's batches to `flush` through a group-commit queue: batches fetched within
 * GROUP_COMMIT_WINDOW_MS (the partitions of one posted batch, whose dedupe transactions end within
 * a few ms of each other) share one insert per table. A batch is resolved only once its flush
 * succeeded; a failed flush fails its batches, which kafkajs fetches again.
 */
export async function runProjectorConsumer(
  consumer: Consumer,
  options: { topics: readonly string[]; flush: (batches: FetchedBatch[]) => Promise<void> },
): Promise<void> {
  const queue = createGroupCommitQueue<FetchedBatch>({
    windowMs: GROUP_COMMIT_WINDOW_MS,
    flush: options.flush,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 64,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      await queue.offer({
        topic: batch.topic,
        partition: batch.partition,
        messages: batch.messages,
        heartbeat,
      });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });
}
