import { setTimeout as sleep } from 'node:timers/promises';
import type { StepResult } from '@shopfloor/contracts';
import {
  backoffDelay,
  type ConsumerGroupMetadata,
  ConsumerStopError,
  isFencedProducerError,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type TopicMessages, TransactionFailure } from './commit-partition-batch-step.ts';
import type { CommittedShare, FetchTransactions } from './fetch-transaction.ts';
import type { PartitionOwners } from './partition-owner.ts';
import type { RestoreCoordinator } from './restore-coordinator.ts';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

/** The part of a consumed record a stream's step reads. */
export type RawMessage = { key?: Buffer | null; value: Buffer | null; offset: string };

/** One fetched batch of one input partition, with the consumer's hooks for it. */
export type PartitionBatch<M extends RawMessage = RawMessage> = {
  partition: number;
  messages: readonly M[];
  lastOffset: string;
  heartbeat(): Promise<void>;
  /** False once the batch is no longer this member's to commit (stopping, sought, revoked). */
  isActive(): boolean;
  /** The group generation the batch was handed out in: its offset commit is fenced by it (KIP-447). */
  groupMetadata?: ConsumerGroupMetadata | undefined;
};

/** `committed`: resolve the batch's offsets; `refetch`: leave them, the batch is fetched again. */
export type PartitionBatchOutcome = 'committed' | 'refetch';

/** What a stream made of a partition batch: what its transaction writes, and what follows a commit. */
export type ProcessedPartitionBatch = {
  topicMessages: TopicMessages[];
  /** Runs once the transaction committed: apply the state, count. */
  committed(result: { checkpoint: string | undefined; transactionMs: number }): void;
};

/**
 * The stream's own step on a batch of a restored partition. `ok` is committed; a `dlq` or `drop`
 * of the whole batch stops the consumer (a configured bad-record policy `stop`). A throw is a
 * failure of infrastructure the step reached (a lookup, say): the batch is processed again later.
 */
export type ProcessPartitionBatch<S, M extends RawMessage = RawMessage> = (
  store: S,
  batch: PartitionBatch<M>,
) => Promise<StepResult<ProcessedPartitionBatch>>;

export interface PartitionBatchHandlerDeps<
  S extends { readonly partition: number },
  M extends RawMessage = RawMessage,
> {
  /** Names the stream in logs ("dedupe", "sensor"). */
  name: string;
  owners: Pick<PartitionOwners<S>, 'forPartition'>;
  restores: RestoreCoordinator;
  processBatch: ProcessPartitionBatch<S, M>;
  /**
   * True when processing leaves the state untouched until `committed` (the dedupe store); false
   * when it runs ahead of the log (the sensor processor), so a failed step restores before retrying.
   */
  stateAppliedOnCommit: boolean;
  /** The transaction of the fetch under way, that this batch joins (one per fetch, KIP-447). */
  fetchTransactions: Pick<FetchTransactions, 'enter'>;
  log: Logger;
}

/**
 * A partition batch from fetch to commit, for any stream: restore the partition's state if needed,
 * run the stream's step, join the fetch's one transaction with its output and input offset, and
 * only once that committed let the stream apply what follows a commit. Failures of the
 * infrastructure are answered by the transaction-failure policy (a failed transaction rolls back
 * every partition in it: each restores and is fetched again); a configured or fatal stop throws a
 * ConsumerStopError.
 */
export function createPartitionBatchHandler<
  S extends { readonly partition: number },
  M extends RawMessage = RawMessage,
>(deps: PartitionBatchHandlerDeps<S, M>) {
  const { owners, restores, log, name } = deps;
  /** Failures in a row per partition, for the backoff before fetching a batch again. */
  const failuresInARow = new Map<number, number>();

  /** Logs why the consumer stops and throws what stops it (kafkajs neither retries nor restarts). */
  function stopConsumer(reason: string, details: Record<string, unknown>): never {
    log.fatal(details, `${name} consumer stops: ${reason}`);
    throw new ConsumerStopError(reason);
  }

  /** Leaves the batch unresolved, so that it is fetched again after a backoff (and a restore). */
  async function refetchLater(
    batch: PartitionBatch<M>,
    options: { restoreFirst: boolean },
  ): Promise<PartitionBatchOutcome> {
    const failures = failuresInARow.get(batch.partition) ?? 0;
    failuresInARow.set(batch.partition, failures + 1);
    if (options.restoreFirst) restores.invalidate(batch.partition);
    if (!batch.isActive()) return 'refetch';
    // The heartbeat after the pause lets a rebalance that caused the failure reach this member first.
    await sleep(backoffDelay(failures, { initialDelayMs: 200, maxDelayMs: 10_000 }));
    await batch.heartbeat();
    return 'refetch';
  }

  return async function handlePartitionBatch(batch: PartitionBatch<M>): Promise<PartitionBatchOutcome> {
    const { partition } = batch;
    const startedAt = performance.now();
    const ticket = deps.fetchTransactions.enter(batch as PartitionBatch);
    try {
      await restores.ensureRestored(partition, batch.heartbeat);
    } catch (error) {
      ticket.leave();
      if (error instanceof ConsumerStopError) throw error;
      log.error(
        { partition, err: error, fenced: isFencedProducerError(error) },
        `${name} state restore failed; retrying`,
      );
      return refetchLater(batch, { restoreFirst: true });
    }
    let processed: StepResult<ProcessedPartitionBatch>;
    try {
      processed = await deps.processBatch(owners.forPartition(partition).store, batch);
    } catch (error) {
      ticket.leave();
      log.warn(
        { partition, err: error },
        `${name} batch failed before its transaction; processing it again later`,
      );
      return refetchLater(batch, { restoreFirst: !deps.stateAppliedOnCommit });
    }
    if (processed.kind !== 'ok') {
      ticket.leave();
      stopConsumer(processed.reason, { partition, policy: 'stop', setting: 'SHOPFLOOR_BAD_RECORD_POLICY' });
    }
    const processedAt = performance.now();

    let share: CommittedShare;
    try {
      share = await ticket.join({
        partition,
        lastOffset: batch.lastOffset,
        topicMessages: processed.value.topicMessages,
      });
    } catch (error) {
      if (!(error instanceof TransactionFailure)) {
        // Not the transaction's own failure (say, the heartbeat between two of its tries could not
        // reach the broker): kafkajs fetches the batch again without a group join, so without this
        // a state that runs ahead of the log would decide the batch against its own failed try
        // (the sensor processor called its readings duplicates, and they were lost; chaos seed 853068649).
        restores.invalidate(partition);
        throw error;
      }
      if (respondToTransactionFailure(error) === 'stop') {
        stopConsumer(error.message, { partition, phase: error.phase, err: error.error });
      }
      log.warn(
        { partition, partitions: error.partitions, phase: error.phase, err: error.error },
        `${name} transaction failed; restoring the partition and processing its batch again`,
      );
      return refetchLater(batch, { restoreFirst: true });
    }
    failuresInARow.delete(partition);
    processed.value.committed({ checkpoint: share.checkpoint, transactionMs: share.transactionMs });
    log.debug(
      {
        partition,
        records: batch.messages.length,
        processMs: processedAt - startedAt,
        transactionMs: share.transactionMs,
        batchesInTransaction: share.batches,
      },
      `${name} batch committed`,
    );
    return 'committed';
  };
}
