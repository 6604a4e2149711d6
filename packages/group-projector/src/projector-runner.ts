import { type Consumer, EMPTY_FETCH_WAIT_MS, type KafkaClient } from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import { createGroupCommitQueue, type GroupCommitQueue } from './group-commit-queue.ts';
import type { FetchedBatch } from './group-sink.ts';

/** Measured: one insert per table costs 20-30 ms on the embedded engine whatever its size. */
export const GROUP_COMMIT_WINDOW_MS = 15;

/**
 * A bulk group's window while exactly one request waits. Its partitions come in one fetch (one
 * dedupe commit makes them readable together; AWAITED_FETCH answers at the first record) and
 * kafkajs hands that fetch's batches to the workers within a few ticks, so the 15 ms would only
 * delay the answer (bench/README.md, Levers 20).
 */
export const AWAITED_WINDOW_MS = 2;

/**
 * How a projector groups what it fetches. `bulk` (the default) waits a little to make few large
 * inserts; `immediate` inserts as soon as a fetch returns (a lane of small, latency-bound records,
 * such as the sensor alerts).
 */
export type ProjectorGrouping = 'bulk' | 'immediate';

/**
 * Whether anyone waits for a bulk projector's outcomes (a synchronous request of this process).
 * While nobody does, a group gathers for `idleWindowMs` instead of GROUP_COMMIT_WINDOW_MS: fewer,
 * larger inserts and fetches, so the work that someone does wait for (another lane, a query) gets
 * the cores; as soon as a request starts to wait, the open window closes and the windows stay short.
 */
export type OutcomeDemand = {
  /** Unset or at most GROUP_COMMIT_WINDOW_MS: the grouping stays as it is, only the fetches follow. */
  idleWindowMs?: number | undefined;
  /** Whether a request waits for an outcome now. */
  awaited(): boolean;
  /** Calls `listener` each time a request starts to wait; returns the unsubscribe. */
  onAwaited(listener: () => void): () => void;
  /**
   * How many requests wait now. Given, while exactly one waits a bulk fetch is answered at the first
   * record (fetchWaitOf) and its group gathers for AWAITED_WINDOW_MS only (groupWindowMs); unset,
   * fetches and windows stay bulk.
   */
  waiting?: (() => number) | undefined;
};

/**
 * The demand's idle window, if it is longer than the group-commit one. Without that the grouping
 * stays exactly as it is (a 15 ms window gathers the partitions of one posted batch).
 */
const idleWindowOf = (demand: OutcomeDemand | undefined): number | undefined => {
  const ms = demand?.idleWindowMs ?? 0;
  return ms > GROUP_COMMIT_WINDOW_MS ? ms : undefined;
};

/**
 * Whether exactly one request waits (a demand that does not count its waiters: no). The fetch
 * (fetchWaitOf) and the window (groupWindowMs) follow the same rule: the short window relies on that
 * request's fetch being answered at its first record.
 */
const onlyOneWaits = (demand: Pick<OutcomeDemand, 'waiting'> | undefined): boolean =>
  demand?.waiting?.() === 1;

/**
 * The window a group gathers for: none for an immediate lane, short while exactly one request waits
 * (when the demand counts them), longer while none does.
 */
export function groupWindowMs(
  grouping: ProjectorGrouping | undefined,
  demand: OutcomeDemand | undefined,
): number {
  if (grouping === 'immediate') return 0;
  if (onlyOneWaits(demand)) return AWAITED_WINDOW_MS;
  const idle = idleWindowOf(demand);
  return demand === undefined || idle === undefined || demand.awaited() ? GROUP_COMMIT_WINDOW_MS : idle;
}

/** Closes the queue's open window each time a request starts to wait; returns the unsubscribe. */
export function hurryWhenAwaited(
  queue: Pick<GroupCommitQueue<unknown>, 'hurry'>,
  demand: OutcomeDemand | undefined,
): () => void {
  return demand === undefined || idleWindowOf(demand) === undefined
    ? () => {}
    : demand.onAwaited(() => queue.hurry());
}

/** What the broker is asked to wait for in one fetch (kafkajs' names). */
export type FetchWait = { minBytes: number; maxWaitTimeInMs: number };

/**
 * A bulk projector's fetch: the broker holds it up to 30 ms for 1 MiB, so the partitions of one
 * posted batch (committed a few ms apart) come in one fetch and make one group insert.
 */
export const BULK_FETCH: FetchWait = Object.freeze({ minBytes: 1024 * 1024, maxWaitTimeInMs: 30 });
/** An immediate lane's fetch: answered as soon as one record is readable. */
export const IMMEDIATE_FETCH: FetchWait = Object.freeze({ minBytes: 1, maxWaitTimeInMs: 100 });
/**
 * A bulk projector's fetch while exactly one request waits for its outcomes: answered at the first
 * readable record. The dedupe commits one transaction per fetch, so one commit makes that request's
 * partitions readable together and holding the fetch gathers nothing it needs. While several wait,
 * the bulk hold stays: their batches commit one after another and one fetch and one insert serve
 * them all (answering at the first record there cost 0.88x throughput in sync 8-client rows;
 * bench/README.md, Levers 19).
 */
export const AWAITED_FETCH: FetchWait = Object.freeze({ minBytes: 1, maxWaitTimeInMs: 30 });
/**
 * A projector's fetch once its input has been quiet for QUIET_AFTER_MS: answered at the first record,
 * as an immediate lane's, but held for as long as the stream runners' empty polls. At BULK_FETCH's
 * 30 ms an idle projector fetched ~30 times a second (and an immediate lane ~10), in the pipeline and
 * in the broker, while another stream was busy or the whole system idle (bench/README.md, Levers 35).
 */
export const QUIET_FETCH: FetchWait = Object.freeze({ minBytes: 1, maxWaitTimeInMs: EMPTY_FETCH_WAIT_MS });
/** How long without a record before a projector's fetches become QUIET_FETCH. */
export const QUIET_AFTER_MS = 1_000;

/**
 * The wait of the next fetch: asked before each one, so it follows the demand and the input as they
 * change. `quiet`: no record came in the last QUIET_AFTER_MS.
 */
export function fetchWaitOf(
  grouping: ProjectorGrouping | undefined,
  demand: Pick<OutcomeDemand, 'waiting'> | undefined,
  quiet = false,
): FetchWait {
  if (onlyOneWaits(demand) && grouping !== 'immediate') return AWAITED_FETCH;
  if (quiet) return QUIET_FETCH;
  return grouping === 'immediate' ? IMMEDIATE_FETCH : BULK_FETCH;
}

/** The projector's consumer: read_committed, offsets committed by the projector only. */
export function createProjectorConsumer(
  kafka: KafkaClient,
  options: {
    groupId: string;
    sessionTimeoutMs: number;
    grouping?: ProjectorGrouping | undefined;
    /** With its `waiting`, each fetch's wait follows how many requests wait (fetchWaitOf). */
    demand?: Pick<OutcomeDemand, 'waiting'> | undefined;
    /** Static membership (KIP-345): a restarted projector takes its place back at once. */
    groupInstanceId?: string | undefined;
    /** Where the fetches answered at their first record are counted. Default: nowhere. */
    metrics?: Pick<ProjectorMetrics, 'awaitedFetch'> | undefined;
    /** The clock the input's quiet is measured on (tests). Default Date.now. */
    now?: () => number;
  },
): Consumer {
  const { grouping, demand } = options;
  const now = options.now ?? Date.now;
  let lastRecordAt = now();
  const nextFetchWait = () => {
    const wait = fetchWaitOf(grouping, demand, now() - lastRecordAt >= QUIET_AFTER_MS);
    if (wait === AWAITED_FETCH) options.metrics?.awaitedFetch();
    return wait;
  };
  const consumer = kafka.consumer({
    groupId: options.groupId,
    ...(options.groupInstanceId ? { groupInstanceId: options.groupInstanceId } : {}),
    readUncommitted: false,
    ...fetchWaitOf(grouping, undefined),
    // Patched kafkajs (packages/kafka/README.md): asked before each fetch.
    fetchWait: nextFetchWait,
    maxBytesPerPartition: 4 * 1024 * 1024,
    sessionTimeout: options.sessionTimeoutMs,
  });
  // Emitted for every batch handed on; a batch of commit markers only has no record (batchSize 0).
  consumer.on(consumer.events.START_BATCH_PROCESS, ({ payload }) => {
    if (payload.batchSize > 0) lastRecordAt = now();
  });
  return consumer;
}

/**
 * Feeds the consumer's batches to `flush` through a group-commit queue: batches fetched within
 * GROUP_COMMIT_WINDOW_MS (the partitions of one posted batch, whose dedupe transactions end within
 * a few ms of each other) share one insert per table; with `demand`, within its idle window while
 * nobody waits. A batch is resolved only once its flush succeeded; a failed flush fails its
 * batches, which kafkajs fetches again. Returns the detach of the demand's listener (for stop).
 */
export async function runProjectorConsumer(
  consumer: Consumer,
  options: {
    topics: readonly string[];
    flush: (batches: FetchedBatch[]) => Promise<void>;
    grouping?: ProjectorGrouping | undefined;
    demand?: OutcomeDemand | undefined;
  },
): Promise<() => void> {
  const { grouping, demand } = options;
  const queue = createGroupCommitQueue<FetchedBatch>({
    windowMs: () => groupWindowMs(grouping, demand),
    flush: options.flush,
  });
  const detach = hurryWhenAwaited(queue, demand);
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
  return detach;
}
