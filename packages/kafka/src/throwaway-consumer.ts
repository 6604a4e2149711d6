import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EachBatchHandler } from 'kafkajs';
import type { KafkaClient } from './types.ts';

/**
 * A read_committed consumer in a group of its own that commits nothing: kafkajs has no manual
 * assignment, so the read-only readers (`readPartitions`, `scanLog`) join a throw-away group.
 */
export function throwawayConsumer(kafka: KafkaClient, purpose: string) {
  return kafka.consumer({
    groupId: `shopfloor-${purpose}-${randomUUID()}`,
    readUncommitted: false,
    maxWaitTimeInMs: 100,
    maxBytesPerPartition: 8 * 1024 * 1024,
    maxBytes: 32 * 1024 * 1024,
  });
}

/** Connects the consumer to `topic` from its beginning and runs `eachBatch`, committing nothing. */
export async function readFromStart(
  consumer: ReturnType<typeof throwawayConsumer>,
  topic: string,
  eachBatch: EachBatchHandler,
): Promise<void> {
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ autoCommit: false, eachBatch });
}

/** Waits until `done()`, polling every 50 ms; past `timeoutMs` throws the error `late()` describes. */
export async function pollUntil(
  done: () => boolean,
  timeoutMs: number,
  late: () => string,
  onIdle?: () => Promise<void>,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(late());
    await sleep(50);
    await onIdle?.();
  }
}
