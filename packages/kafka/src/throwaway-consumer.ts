import { randomUUID } from 'node:crypto';
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
    await new Promise((r) => setTimeout(r, 50));
    await onIdle?.();
  }
}
