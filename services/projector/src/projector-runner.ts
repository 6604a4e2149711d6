import {
  type ClickHouseWriter,
  insertBatchEvents,
  insertEventChanges,
  insertRejectedEvents,
  readSinkOffsets,
  type SinkOffsetRow,
  writeSinkOffsets,
} from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import {
  type ConsumedMessage,
  createIdempotentProducer,
  encodeJson,
  type KafkaClient,
  retryWithJitter,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type GroupRange, groupToken, type RangeGroup, rangeGroupFromMarkers } from './range-group.ts';
import { projectChanges, projectDeadLetters } from './projection-batch.ts';

export interface ProjectorOptions {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  topics: { changes: string; deadLetter: string; outcomes: string };
  groupId: string;
  log: Logger;
  sessionTimeoutMs?: number;
  /** Called after a range is visible in ClickHouse (the standalone process wakes waiters with it). */
  onOutcomes?: (outcomes: OutcomeRecord[]) => void;
}

export type ProjectorCounters = { ranges: number; records: number; replays: number; changeRows: number };

export interface Projector {
  counters: ProjectorCounters;
  stop(): Promise<void>;
}

/** One partition's fetched batch, waiting to be part of the next group insert. */
type Arrival = {
  key: string;
  topic: string;
  partition: number;
  messages: ConsumedMessage[];
  settle: (err?: unknown) => void;
};

const keyOf = (topic: string, partition: number) => `${topic}:${partition}`;

/** Measured: one insert per table costs 20-30 ms on the embedded engine whatever its size. */
const GROUP_COMMIT_WINDOW_MS = 15;

/**
 * Projects events.changes (winners and retractions) and events.dlq into ClickHouse, exactly once,
 * after the ClickHouse Kafka Connect sink's design, extended to group commits: the batches that
 * arrive together from several partitions form ONE group. Before inserting a group, its offset
 * range per partition is recorded in sink_offsets (one row per partition, one insert, all with the
 * group's time); the group's rows are inserted with a deduplication token made of those ranges;
 * then the offsets of every partition of the group are committed. Groups are written one at a
 * time, so only the latest recorded group can be unapplied: after a crash it is re-formed from
 * exactly the same records and inserted with the same token, which ClickHouse drops in every table
 * and view if the first insert had landed.
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { kafka, writer, topics, log } = options;
  const counters: ProjectorCounters = { ranges: 0, records: 0, replays: 0, changeRows: 0 };

  // Per partition, the last offset known to be in ClickHouse.
  const appliedUpTo = new Map<string, bigint>();
  // The latest recorded group, until it is known to be applied.
  let pending: RangeGroup | undefined;
  const markers: SinkOffsetRow[] = [];
  for (const topic of [topics.changes, topics.deadLetter])
    markers.push(...(await readSinkOffsets(writer, topic)));
  let lastGroupAt = markers.reduce((m, r) => Math.max(m, r.updatedAt), 0);
  for (const r of markers) {
    appliedUpTo.set(
      keyOf(r.topic, r.partition),
      BigInt(r.updatedAt === lastGroupAt ? r.minOffset - 1 : r.maxOffset),
    );
  }
  pending = rangeGroupFromMarkers(markers.filter((r) => r.updatedAt === lastGroupAt));
  if (pending && (await committedPast(kafka, options.groupId, pending))) {
    // The group's offsets were committed, which happens only after its insert landed.
    for (const [key, r] of pending.ranges) appliedUpTo.set(key, r.max);
    pending = undefined;
  }
  if (pending)
    log.info({ token: groupToken(pending) }, 'the last recorded group may be unapplied; re-forming it');

  const withRetry = <T>(what: string, work: () => Promise<T>) =>
    retryWithJitter(work, {
      retries: 10,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      isRetriable: () => true,
      onRetry: ({ attempt, delayMs, error }) =>
        log.warn({ attempt, delayMs, err: (error as Error).message }, `${what} failed; retrying`),
    });

  const producer = createIdempotentProducer(kafka);
  await producer.connect();

  const consumer = kafka.consumer({
    groupId: options.groupId,
    readUncommitted: false,
    // The broker holds a fetch up to 30 ms for 1 MiB, so the partitions of one posted batch (their
    // dedupe transactions end a few ms apart) come in one fetch and make one group insert.
    minBytes: 1024 * 1024,
    maxWaitTimeInMs: 30,
    maxBytesPerPartition: 4 * 1024 * 1024,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
  });

  /** Inserts a group's records, publishes their outcomes, commits their offsets. */
  const apply = async (group: RangeGroup) => {
    const token = groupToken(group);
    const keys = [...group.ranges.keys()].sort();
    const changes = keys.filter((k) => group.ranges.get(k)!.topic === topics.changes);
    const deadLetters = keys.filter((k) => group.ranges.get(k)!.topic === topics.deadLetter);
    const fromChanges = projectChanges(changes.flatMap((k) => group.ranges.get(k)!.messages));
    const fromDeadLetters = projectDeadLetters(deadLetters.flatMap((k) => group.ranges.get(k)!.messages));
    for (const u of [...fromChanges.undecodable, ...fromDeadLetters.undecodable]) {
      log.error(u, 'undecodable record skipped by projector');
    }
    // Each table gets its own token, derived from the group's ranges, so every table deduplicates.
    await withRetry('insert into event_changes', () =>
      insertEventChanges(writer, fromChanges.changes, { dedupToken: `${token}:changes`, validate: false }),
    );
    await withRetry('insert into rejected_events', () =>
      insertRejectedEvents(writer, fromDeadLetters.rejected, { dedupToken: `${token}:rejected` }),
    );
    await withRetry('insert into batch_events', () =>
      insertBatchEvents(writer, [...fromChanges.batchEvents, ...fromDeadLetters.batchEvents], {
        dedupToken: `${token}:batches`,
      }),
    );
    counters.changeRows += fromChanges.changes.length;
    const outcomes = [...fromChanges.outcomes, ...fromDeadLetters.outcomes];
    if (outcomes.length > 0) {
      options.onOutcomes?.(outcomes);
      await withRetry('publish outcomes', () =>
        producer.send({
          topic: topics.outcomes,
          messages: outcomes.map((o) => ({ key: o.batchId, value: encodeJson(o) })),
        }),
      );
    }
    await withRetry('commit offsets', () =>
      consumer.commitOffsets(
        [...group.ranges.values()].map((r) => ({
          topic: r.topic,
          partition: r.partition,
          offset: (r.max + 1n).toString(),
        })),
      ),
    );
    for (const [key, r] of group.ranges) appliedUpTo.set(key, r.max);
  };

  /**
   * Offers the records of the recorded-but-maybe-unapplied group to it. Returns what is left over
   * (past the group's ranges), or everything when there is no such group.
   */
  const offerToPending = (a: Arrival, messages: ConsumedMessage[]): ConsumedMessage[] => {
    const range = pending?.ranges.get(a.key);
    if (!pending || !range) return messages;
    if (range.messages.length === 0 && messages.length > 0 && BigInt(messages[0]!.offset) > range.max) {
      // Fetching resumed past the range: the group's offsets were committed, which happens only
      // after its insert landed. The whole group is applied.
      for (const [key, r] of pending.ranges) appliedUpTo.set(key, r.max);
      pending = undefined;
      return messages;
    }
    const last = range.messages.length > 0 ? BigInt(range.messages.at(-1)!.offset) : range.min - 1n;
    const rest: ConsumedMessage[] = [];
    for (const m of messages) {
      const offset = BigInt(m.offset);
      if (offset > range.max) rest.push(m);
      else if (offset > last) range.messages.push(m);
    }
    return rest;
  };

  // Records fetched past an unapplied group's ranges wait here until that group is re-formed.
  const carried = new Map<string, { topic: string; partition: number; messages: ConsumedMessage[] }>();
  let arrivals: Arrival[] = [];

  const flush = async () => {
    const batch = arrivals;
    arrivals = [];
    try {
      for (const a of batch) {
        const fresh = a.messages.filter((m) => BigInt(m.offset) > (appliedUpTo.get(a.key) ?? -1n));
        const rest = offerToPending(a, fresh);
        const held = carried.get(a.key)?.messages ?? [];
        carried.set(a.key, { topic: a.topic, partition: a.partition, messages: [...held, ...rest] });
      }
      if (pending) {
        const complete = [...pending.ranges.values()].every((r) => {
          const last = r.messages.at(-1);
          return last !== undefined && BigInt(last.offset) >= r.max;
        });
        if (!complete) return; // still waiting for records of the recorded group
        log.info({ token: groupToken(pending) }, 're-forming the recorded group');
        await apply(pending);
        counters.replays++;
        pending = undefined;
      }
      const ranges = new Map<string, GroupRange>();
      for (const [key, c] of carried) {
        const messages = c.messages.filter((m) => BigInt(m.offset) > (appliedUpTo.get(key) ?? -1n));
        if (messages.length === 0) continue;
        ranges.set(key, {
          topic: c.topic,
          partition: c.partition,
          min: BigInt(messages[0]!.offset),
          max: BigInt(messages.at(-1)!.offset),
          messages,
        });
      }
      carried.clear();
      if (ranges.size === 0) return;
      lastGroupAt = Math.max(Date.now(), lastGroupAt + 1);
      const group: RangeGroup = { updatedAt: lastGroupAt, ranges };
      await withRetry('record the group in sink_offsets', () =>
        writeSinkOffsets(
          writer,
          [...ranges.values()].map((r) => ({
            topic: r.topic,
            partition: r.partition,
            minOffset: Number(r.min),
            maxOffset: Number(r.max),
            state: 'before' as const,
            updatedAt: group.updatedAt,
          })),
          { dedupToken: `${groupToken(group)}:marker` },
        ),
      );
      // From here on, any retry or replay must re-form exactly this group.
      pending = group;
      const t0 = performance.now();
      await apply(group);
      log.debug({ partitions: ranges.size, applyMs: performance.now() - t0 }, 'group applied');
      pending = undefined;
      counters.ranges += ranges.size;
      counters.records += [...ranges.values()].reduce((n, r) => n + r.messages.length, 0);
    } catch (err) {
      for (const a of batch) a.settle(err);
    } finally {
      for (const a of batch) a.settle();
    }
  };

  // Group commit: batches arriving within GROUP_COMMIT_WINDOW_MS (the partitions of one posted
  // batch, whose dedupe transactions end within a few ms of each other) share one insert per
  // table. Flushes run one after another.
  let chain: Promise<void> = Promise.resolve();
  let scheduled = false;
  const arrive = (a: Omit<Arrival, 'settle'>) =>
    new Promise<void>((resolve, reject) => {
      let settled = false;
      arrivals.push({
        ...a,
        settle: (err) => {
          if (settled) return;
          settled = true;
          if (err) reject(err);
          else resolve();
        },
      });
      if (!scheduled) {
        scheduled = true;
        setTimeout(() => {
          scheduled = false;
          chain = chain.then(flush);
        }, GROUP_COMMIT_WINDOW_MS);
      }
    });

  await consumer.connect();
  await consumer.subscribe({ topics: [topics.changes, topics.deadLetter], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 64,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const { topic, partition } = batch;
      await arrive({ key: keyOf(topic, partition), topic, partition, messages: batch.messages });
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });

  return {
    counters,
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}

/** Whether the group's committed offsets lie past its recorded ranges (one commit covers them all). */
async function committedPast(kafka: KafkaClient, groupId: string, group: RangeGroup): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const topics = [...new Set([...group.ranges.values()].map((r) => r.topic))];
    const offsets = await admin.fetchOffsets({ groupId, topics });
    return offsets.some(({ topic, partitions }) =>
      partitions.some((p) => {
        const range = group.ranges.get(keyOf(topic, p.partition));
        return range !== undefined && Number(p.offset) >= 0 && BigInt(p.offset) > range.max;
      }),
    );
  } finally {
    await admin.disconnect();
  }
}
