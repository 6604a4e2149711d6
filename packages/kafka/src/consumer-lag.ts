import {
  type PartitionRange,
  readCommittedOffsets,
  readLogRanges,
  retryAdminQuery,
} from './admin-queries.ts';
import { partitionLag } from './partition-lag.ts';
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
      const ranges = new Map<string, PartitionRange[]>();
      for (const topic of topics) ranges.set(topic, await readLogRanges(a, topic));
      const result: GroupLag[] = [];
      for (const { groupId, topics: groupTopics } of subscriptions) {
        const committed = await retryAdminQuery(() => readCommittedOffsets(a, groupId, groupTopics));
        const partitions = committed
          .map((c) =>
            partitionLag(
              c,
              ranges.get(c.topic)?.find((r) => r.partition === c.partition),
            ),
          )
          .map(
            (p): PartitionLag => ({
              topic: p.topic,
              partition: p.partition,
              committedOffset: p.committed === undefined ? null : Number(p.committed),
              logEndOffset: Number(p.logEnd),
              lag: Number(p.lag),
            }),
          )
          .sort((x, y) => (x.topic === y.topic ? x.partition - y.partition : x.topic < y.topic ? -1 : 1));
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
