import type { ConsumerConfig } from 'kafkajs';
import type { Consumer, ConsumerGroupMetadata, KafkaClient } from './types.ts';

/** A batch a recording member was handed: its partition, its group generation, and when. */
export type HandedBatch = { partition: number; groupMetadata: ConsumerGroupMetadata; at: number };

/**
 * A group member of `topic` (from the beginning) that records every non-empty batch it is handed,
 * with the group metadata it came in, and never commits: for tests of group membership. The caller
 * disconnects `consumer`. Used by the tests (`./testing.ts`) and by their child processes, which
 * cannot import vitest.
 */
export async function recordingMember(
  kafka: KafkaClient,
  topic: string,
  config: ConsumerConfig,
  onBatch: (batch: HandedBatch) => void = () => {},
): Promise<{ consumer: Consumer; batches: HandedBatch[] }> {
  const batches: HandedBatch[] = [];
  const consumer = kafka.consumer({ maxWaitTimeInMs: 50, heartbeatInterval: 500, ...config });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatch: async ({ batch, groupMetadata, heartbeat }) => {
      if (batch.isEmpty()) return;
      const handed = { partition: batch.partition, groupMetadata, at: Date.now() };
      batches.push(handed);
      onBatch(handed);
      await heartbeat();
    },
  });
  return { consumer, batches };
}
