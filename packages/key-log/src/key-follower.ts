import { randomUUID } from 'node:crypto';
import type { KeyEvent } from '@shopfloor/auth';
import type { KeyChangeRecord } from '@shopfloor/contracts';
import { consumerStopped, fetchLogRanges, type KafkaClient, type RecordCodec } from '@shopfloor/kafka';
import { keyEventOf } from './key-records.ts';

export interface KeyFollowerDeps {
  kafka: KafkaClient;
  /** The key topic (`config.topics.keys`). */
  topic: string;
  codec: RecordCodec<KeyChangeRecord>;
  /** Receives every key change in log order: from the beginning, then as they are appended. */
  onEvent: (event: KeyEvent) => void;
  /** A record that does not decode is skipped and reported here (never its bytes: they hold a hash). */
  onBadRecord?: (offset: string, error: string) => void;
  /** How long the broker holds a fetch while there is nothing new (the revocation delay's floor). */
  maxWaitMs?: number;
}

export interface KeyFollower {
  /** Resolves once every change that was in the topic when it was called has been applied. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /** Settles once its consumer stopped for good: no revocation reaches the process any more. */
  stopped: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * Reads the key topic from the beginning, then follows it. Every process that serves HTTP runs
 * one, so a revocation reaches each of them within about `maxWaitMs`. A consumer group of its own
 * per process (random id, nothing committed): every process must see every change.
 */
export async function followKeyLog(deps: KeyFollowerDeps): Promise<KeyFollower> {
  const consumer = deps.kafka.consumer({
    groupId: `shopfloor-keys-${randomUUID()}`,
    maxWaitTimeInMs: deps.maxWaitMs ?? 250,
    // One member, one partition: nothing to rebalance, so a quick join.
    rebalanceTimeout: 10_000,
    sessionTimeout: 10_000,
  });
  let next = 0n;
  let waiters: { target: bigint; resolve: () => void }[] = [];
  const release = () => {
    const still: typeof waiters = [];
    for (const w of waiters) next >= w.target ? w.resolve() : still.push(w);
    waiters = still;
  };
  const stopped = consumerStopped(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: deps.topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ message }) => {
      const decoded = await deps.codec.decode(message.value);
      if (!decoded.ok) deps.onBadRecord?.(message.offset, decoded.error);
      else {
        const event = keyEventOf(decoded.value);
        if (event) deps.onEvent(event);
        else deps.onBadRecord?.(message.offset, 'a created key without role, salt or hash');
      }
      next = BigInt(message.offset) + 1n;
      release();
    },
  });
  return {
    stopped,
    async caughtUp(timeoutMs = 30_000) {
      const [range] = await fetchLogRanges(deps.kafka, deps.topic);
      const target = range?.end ?? 0n;
      if (next >= target) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(
              new Error(`the key log ${deps.topic} was not read to offset ${target} within ${timeoutMs} ms`),
            ),
          timeoutMs,
        );
        waiters.push({
          target,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    stop: () => consumer.disconnect(),
  };
}
