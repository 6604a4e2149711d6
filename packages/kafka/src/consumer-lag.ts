import { isRetriableKafkaError } from './retriable.ts';
import { retryWithJitter } from './retry.ts';
import type { Admin, KafkaClient } from './types.ts';

/** A consumer group and the topics it consumes. */
export interface GroupSubscription {
  groupId: string;
  topics: string[];
}

export interface PartitionLag {
  topic: string;
  partition: number;
  /** Next offset the group will read; null when the group never committed on this partition. */
  committedOffset: number | null;
  /** Log end offset (high watermark). */
  logEndOffset: number;
  /** Records not yet consumed: logEnd − committed, or logEnd − logStart without a commit. */
  lag: number;
}

export interface GroupLag {
  groupId: string;
  partitions: PartitionLag[];
  /** Sum of the partitions' lag. */
  totalLag: number;
}

export interface ConsumerLagReader {
  /** One snapshot of every subscription's lag; throws when the broker does not answer. */
  read(): Promise<GroupLag[]>;
  close(): Promise<void>;
}

/**
 * Reads committed offsets against log end offsets with one admin client, connected on first use
 * and kept for later reads (a dashboard polls every few seconds).
 */
export function createConsumerLagReader(
  kafka: KafkaClient,
  subscriptions: readonly GroupSubscription[],
): ConsumerLagReader {
  let admin: Admin | undefined;
  let connecting: Promise<Admin> | undefined;
  const connected = (): Promise<Admin> => {
    if (admin) return Promise.resolve(admin);
    connecting ??= (async () => {
      const a = kafka.admin();
      try {
        await a.connect();
      } catch (err) {
        connecting = undefined;
        throw err;
      }
      admin = a;
      return a;
    })();
    return connecting;
  };
  return {
    async read() {
      const a = await connected();
      const topics = [...new Set(subscriptions.flatMap((s) => s.topics))];
      const ends = new Map<string, Map<number, { low: number; high: number }>>();
      for (const topic of topics) {
        const offsets = await a.fetchTopicOffsets(topic);
        ends.set(
          topic,
          new Map(offsets.map((o) => [o.partition, { low: Number(o.low), high: Number(o.high) }])),
        );
      }
      const result: GroupLag[] = [];
      for (const { groupId, topics: groupTopics } of subscriptions) {
        // The group coordinator may still be moving (NOT_COORDINATOR on a fresh broker): retried.
        const committed = await retryWithJitter(() => a.fetchOffsets({ groupId, topics: groupTopics }), {
          retries: 5,
          initialDelayMs: 100,
          maxDelayMs: 1_000,
          isRetriable: isRetriableKafkaError,
        });
        const partitions: PartitionLag[] = [];
        for (const { topic, partitions: parts } of committed) {
          for (const p of parts) {
            const end = ends.get(topic)?.get(p.partition) ?? { low: 0, high: 0 };
            const offset = Number(p.offset);
            const committedOffset = offset >= 0 ? offset : null;
            const lag = Math.max(0, end.high - (committedOffset ?? end.low));
            partitions.push({ topic, partition: p.partition, committedOffset, logEndOffset: end.high, lag });
          }
        }
        partitions.sort((x, y) =>
          x.topic === y.topic ? x.partition - y.partition : x.topic < y.topic ? -1 : 1,
        );
        result.push({ groupId, partitions, totalLag: partitions.reduce((sum, p) => sum + p.lag, 0) });
      }
      return result;
    },
    async close() {
      const a = admin ?? (await connecting?.catch(() => undefined));
      admin = undefined;
      connecting = undefined;
      await a?.disconnect();
    },
  };
}
