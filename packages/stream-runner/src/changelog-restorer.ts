import { randomUUID } from 'node:crypto';
import { type KafkaClient, type RecordCodec, readPartitions } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { PartitionOwner } from './partition-owner.ts';

/** Key of the marker a member writes to a state partition to learn where that partition ends. */
export const RESTORE_MARKER_KEY = '\u0000shopfloor.restore-marker';

export type RestoreReport = {
  partition: number;
  /** Changelog offset the restore started at: '0' for a full restore, else the local checkpoint. */
  from: string;
  to: string;
  records: number;
  ms: number;
};

/**
 * Reports one restore to a stream's processor metrics. The partitions of one restore are read
 * together, so they get one duration (the first's) and the sum of their records.
 */
export function reportRestore(
  metrics: { stateRestored(restore: { records: number; seconds: number }): void },
  reports: readonly RestoreReport[],
): void {
  if (reports.length === 0) return;
  metrics.stateRestored({
    records: reports.reduce((sum, r) => sum + r.records, 0),
    seconds: (reports[0]?.ms ?? 0) / 1000,
  });
}

/** One changelog record read back: a null value is a tombstone (the key has no state any more). */
export type ChangelogEntry<V> = { key: string; value: V | null };

/** What a stream's state does with its changelog: the per-stream pieces of a restore. */
export interface ChangelogState<S, V> {
  /**
   * Where the restore of `store` starts: its usable local checkpoint, or '0' after clearing it.
   * `end` is the offset of this restore's marker: a checkpoint past it (the topic was re-created
   * under the store) is not usable.
   */
  startOffset(store: S, end: string): string;
  /** Applies one fetched run of entries in offset order; `next` is the offset after the last one. */
  apply(store: S, entries: ChangelogEntry<V>[], next: string): void;
}

export interface RestoreFromChangelogInput<S extends { readonly partition: number }, V> {
  kafka: KafkaClient;
  stateTopic: string;
  /**
   * A second changelog of the same state for entries written once and never superseded (see
   * `writeOnceStateTopic` in @shopfloor/kafka), read from its start after `stateTopic` on every
   * restore, so applying its entries must not depend on where `stateTopic` started.
   */
  writeOnceStateTopic?: string | undefined;
  stateCodec: RecordCodec<V>;
  state: ChangelogState<S, V>;
  /** Every partition of the state topic (the reader pauses the ones not restored). */
  allPartitions: number[];
  owners: PartitionOwner<S>[];
  log: Logger;
  heartbeat?: (() => Promise<void>) | undefined;
}

/**
 * Writes one marker per partition of each state topic in one transaction of the member's producer
 * (in its transaction lock: the producer runs one transaction at a time); resolves to each
 * marker's offset, per topic and partition.
 */
async function writeMarkers(
  owners: PartitionOwner<{ readonly partition: number }>[],
  stateTopics: readonly string[],
): Promise<Map<string, Map<number, string>>> {
  const member = owners[0]!.member;
  return member.inTransactionLock(async () => {
    const tx = await (await member.producer()).transaction();
    try {
      const sent = await tx.sendBatch({
        topicMessages: stateTopics.map((topic) => ({
          topic,
          messages: owners.map((o) => ({
            key: RESTORE_MARKER_KEY,
            value: randomUUID(),
            partition: o.partition,
          })),
        })),
      });
      await tx.commit();
      const offsetOf = (topic: string, partition: number) =>
        sent.find((m) => m.topicName === topic && m.partition === partition)!.baseOffset!;
      return new Map(
        stateTopics.map((topic) => [
          topic,
          new Map(owners.map((o) => [o.partition, offsetOf(topic, o.partition)] as const)),
        ]),
      );
    } catch (err) {
      await tx.abort().catch(() => {});
      await member.reset();
      throw err;
    }
  });
}

/**
 * Brings the state of newly assigned partitions up to date from their compacted changelog before
 * anything is processed on them (Kafka Streams' StoreChangelogReader). The member first writes a
 * marker record to each partition in one transaction: it gives an exact end to read to, whatever
 * transaction markers or compaction did to the offsets, and reading up to it read_committed waits
 * for any transaction still open on the partition (a zombie's, until it ends or times out).
 * Where to start and how to apply an entry is the stream's (`state`). Values are read through the
 * state codec; a tombstone never reaches the codec; an undecodable value fails the restore.
 */
export async function restoreFromChangelog<S extends { readonly partition: number }, V>(
  input: RestoreFromChangelogInput<S, V>,
): Promise<RestoreReport[]> {
  const { owners, log, state, stateTopic } = input;
  const started = Date.now();
  if (owners.length === 0) return [];
  const stateTopics = input.writeOnceStateTopic ? [stateTopic, input.writeOnceStateTopic] : [stateTopic];
  const markers = await writeMarkers(owners, stateTopics);
  const stateMarkers = markers.get(stateTopic)!;
  const from = new Map(
    owners.map((o) => [o.partition, state.startOffset(o.store, stateMarkers.get(o.partition)!)]),
  );
  const byPartition = new Map(owners.map((o) => [o.partition, o.store]));
  const counts = new Map<number, number>();
  const reached = new Map<number, string>();
  for (const topic of stateTopics) {
    const ends = markers.get(topic)!;
    await readPartitions(input.kafka, {
      topic,
      from: topic === stateTopic ? from : new Map(owners.map((o) => [o.partition, '0'])),
      allPartitions: input.allPartitions,
      isLast: (p, m) => BigInt(m.offset) >= BigInt(ends.get(p)!),
      onMessages: async (p, messages, next) => {
        const entries: ChangelogEntry<V>[] = [];
        for (const m of messages) {
          const key = m.key?.toString('utf8');
          if (!key || key === RESTORE_MARKER_KEY) continue;
          if (m.value === null) {
            entries.push({ key, value: null });
            continue;
          }
          const decoded = await input.stateCodec.decode(m.value);
          if (!decoded.ok) throw new Error(`${topic} p${p} offset ${m.offset}: ${decoded.error}`);
          entries.push({ key, value: decoded.value });
        }
        // `next` is a position in stateTopic only: the stream's checkpoint (startOffset) is of that topic.
        state.apply(
          byPartition.get(p)!,
          entries,
          topic === stateTopic ? next : (reached.get(p) ?? from.get(p)!),
        );
        counts.set(p, (counts.get(p) ?? 0) + entries.length);
        if (topic === stateTopic) reached.set(p, next);
      },
      ...(input.heartbeat ? { onIdle: input.heartbeat } : {}),
    });
  }
  const ms = Date.now() - started;
  const reports = owners.map((o) => ({
    partition: o.partition,
    from: from.get(o.partition)!,
    to: reached.get(o.partition) ?? from.get(o.partition)!,
    records: counts.get(o.partition) ?? 0,
    ms,
  }));
  for (const r of reports) log.info(r, `restored state of partition ${r.partition} from offset ${r.from}`);
  return reports;
}
