import { isRetriableKafkaError } from './retriable.ts';
import { retryWithJitter } from './retry.ts';
import type { Admin, KafkaClient } from './types.ts';

/** One partition's log range: `start` is the first offset still held, `end` the next one to write. */
export type PartitionRange = { partition: number; start: bigint; end: bigint };

/** A consumer group's committed offset on one partition (undefined: nothing committed). */
export type CommittedOffset = { topic: string; partition: number; offset: bigint | undefined };

export type GroupDescription = { groupId: string; state: string; members: number };

/** Runs `work` on a connected admin, retried while a fresh broker answers "not the coordinator". */
export function retryAdminQuery<T>(work: () => Promise<T>): Promise<T> {
  return retryWithJitter(work, {
    retries: 8,
    initialDelayMs: 200,
    maxDelayMs: 2_000,
    isRetriable: isRetriableKafkaError,
  });
}

async function withAdmin<T>(kafka: KafkaClient, work: (admin: Admin) => Promise<T>) {
  const admin = kafka.admin();
  await admin.connect();
  try {
    return await retryAdminQuery(() => work(admin));
  } finally {
    await admin.disconnect().catch(() => {});
  }
}

/** The log range of every partition of `topic` through a connected admin, by partition. */
export async function readLogRanges(admin: Admin, topic: string): Promise<PartitionRange[]> {
  const offsets = await admin.fetchTopicOffsets(topic);
  return offsets
    .map((o) => ({ partition: o.partition, start: BigInt(o.low), end: BigInt(o.high) }))
    .sort((a, b) => a.partition - b.partition);
}

/** The offsets `groupId` committed on every partition of `topics`, through a connected admin. */
export async function readCommittedOffsets(
  admin: Admin,
  groupId: string,
  topics: readonly string[],
): Promise<CommittedOffset[]> {
  const result = await admin.fetchOffsets({ groupId, topics: [...topics] });
  return result.flatMap(({ topic, partitions }) =>
    partitions
      .map((p) => ({
        topic,
        partition: p.partition,
        offset: Number(p.offset) >= 0 ? BigInt(p.offset) : undefined,
      }))
      .sort((a, b) => a.partition - b.partition),
  );
}

/** The log range of every partition of `topic`, by partition; throws if the topic does not exist. */
export function fetchLogRanges(kafka: KafkaClient, topic: string): Promise<PartitionRange[]> {
  return withAdmin(kafka, (admin) => readLogRanges(admin, topic));
}

/** Which of `topics` exist on the cluster. */
export async function existingTopics(kafka: KafkaClient, topics: readonly string[]): Promise<Set<string>> {
  return withAdmin(kafka, async (admin) => {
    const all = new Set(await admin.listTopics());
    return new Set(topics.filter((t) => all.has(t)));
  });
}

/** The offsets `groupId` committed on every partition of `topics`. */
export function fetchCommittedOffsets(
  kafka: KafkaClient,
  groupId: string,
  topics: readonly string[],
): Promise<CommittedOffset[]> {
  return withAdmin(kafka, (admin) => readCommittedOffsets(admin, groupId, topics));
}

/** The group's state (Empty, Stable, PreparingRebalance, Dead...) and how many members it has. */
export async function describeGroup(kafka: KafkaClient, groupId: string): Promise<GroupDescription> {
  return withAdmin(kafka, async (admin) => {
    const { groups } = await admin.describeGroups([groupId]);
    const g = groups[0];
    return { groupId, state: g?.state ?? 'Dead', members: g?.members.length ?? 0 };
  });
}

/**
 * Per partition, the earliest offset whose record timestamp is at or after `timestampMs` (the log
 * end when there is none), as Kafka's ListOffsets answers.
 */
export async function fetchOffsetsForTime(
  kafka: KafkaClient,
  topic: string,
  timestampMs: number,
): Promise<{ partition: number; offset: bigint }[]> {
  return withAdmin(kafka, async (admin) => {
    const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timestampMs);
    return offsets
      .map((o) => ({ partition: o.partition, offset: BigInt(o.offset) }))
      .sort((a, b) => a.partition - b.partition);
  });
}

/** Sets a group's committed offsets on one topic. The broker refuses while the group has members. */
export async function setCommittedOffsets(
  kafka: KafkaClient,
  groupId: string,
  topic: string,
  partitions: readonly { partition: number; offset: bigint }[],
): Promise<void> {
  await withAdmin(kafka, (admin) =>
    admin.setOffsets({
      groupId,
      topic,
      partitions: partitions.map((p) => ({ partition: p.partition, offset: p.offset.toString() })),
    }),
  );
}
