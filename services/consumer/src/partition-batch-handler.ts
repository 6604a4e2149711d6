import { setTimeout as sleep } from 'node:timers/promises';
import type { StepResult } from '@shopfloor/contracts';
import { backoffDelay, ConsumerStopError, isFencedProducerError, retryWithJitter } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type CommitPartitionBatch, TransactionFailure } from './commit-partition-batch-step.ts';
import type { RawMessage } from './decode-raw-batch-step.ts';
import type { TopicMessages } from './partition-batch-messages.ts';
import type { PartitionOwners } from './partition-owner.ts';
import type { RestoreCoordinator } from './restore-coordinator.ts';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

/** One fetched batch of one input partition, with the consumer's hooks for it. */
export type PartitionBatch<M extends RawMessage = RawMessage> = {
  partition: number;
  messages: readonly M[];
  lastOffset: string;
  heartbeat(): Promise<void>;
  /** False once the batch is no longer this member's to commit (stopping, sought, revoked). */
  isActive(): boolean;
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
  commitPartitionBatch: CommitPartitionBatch;
  /** Each failed transaction attempt, by phase (metrics). */
  onTransactionFailed?: ((phase: TransactionFailure['phase']) => void) | undefined;
  log: Logger;
  /** Transient transaction failures retried in place before the batch is fetched again. Default 5. */
  transactionRetries?: number | undefined;
}

/**
 * A partition batch from fetch to commit, for any stream: restore the partition's state if needed,
 * run the stream's step, commit its output and the input offset in one transaction, and only then
 * let the stream apply what follows a commit. Failures of the infrastructure are answered by the
 * transaction-failure policy; a configured or fatal stop throws a ConsumerStopError.
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

  /** The batch's one transaction, transient failures retried in place; resolves to the checkpoint. */
  function commitWithRetries(batch: PartitionBatch<M>, topicMessages: TopicMessages[]) {
    const owner = owners.forPartition(batch.partition);
    const { partition, lastOffset } = batch;
    return retryWithJitter(() => deps.commitPartitionBatch(owner, { partition, lastOffset, topicMessages }), {
      retries: deps.transactionRetries ?? 5,
      initialDelayMs: 100,
      maxDelayMs: 5_000,
      isRetriable: (error) =>
        error instanceof TransactionFailure &&
        respondToTransactionFailure(error) === 'retry' &&
        batch.isActive(),
      onRetry: ({ attempt, delayMs, error }) => {
        if (error instanceof TransactionFailure) deps.onTransactionFailed?.(error.phase);
        log.warn({ partition, attempt, delayMs, err: error }, `${name} transaction failed; retrying it`);
      },
      sleep: async (ms) => {
        await sleep(ms);
        await batch.heartbeat();
      },
    });
  }

  return async function handlePartitionBatch(batch: PartitionBatch<M>): Promise<PartitionBatchOutcome> {
    const { partition } = batch;
    const startedAt = performance.now();
    try {
      await restores.ensureRestored(partition, batch.heartbeat);
    } catch (error) {
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
      log.warn(
        { partition, err: error },
        `${name} batch failed before its transaction; processing it again later`,
      );
      return refetchLater(batch, { restoreFirst: !deps.stateAppliedOnCommit });
    }
    if (processed.kind !== 'ok') {
      stopConsumer(processed.reason, { partition, policy: 'stop', setting: 'SHOPFLOOR_BAD_RECORD_POLICY' });
    }
    const processedAt = performance.now();

    let checkpoint: string | undefined;
    try {
      checkpoint = await commitWithRetries(batch, processed.value.topicMessages);
    } catch (error) {
      if (!(error instanceof TransactionFailure)) throw error;
      deps.onTransactionFailed?.(error.phase);
      if (respondToTransactionFailure(error) === 'stop') {
        stopConsumer(error.message, { partition, phase: error.phase, err: error.error });
      }
      log.warn(
        { partition, phase: error.phase, err: error.error },
        `${name} transaction failed; restoring the partition and processing its batch again`,
      );
      return refetchLater(batch, { restoreFirst: true });
    }
    failuresInARow.delete(partition);
    const committedAt = performance.now();
    processed.value.committed({ checkpoint, transactionMs: committedAt - processedAt });
    log.debug(
      {
        partition,
        records: batch.messages.length,
        processMs: processedAt - startedAt,
        transactionMs: committedAt - processedAt,
      },
      `${name} batch committed`,
    );
    return 'committed';
  };
}
