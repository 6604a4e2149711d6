import { setTimeout as sleep } from 'node:timers/promises';
import { dedupeBatch, type HorizonChanges, type HorizonSweeper } from '@shopfloor/dedupe';
import { backoffDelay, ConsumerStopError, isFencedProducerError, retryWithJitter } from '@shopfloor/kafka';
import { type DedupeMetrics, noMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { type CommitPartitionBatch, TransactionFailure } from './commit-partition-batch-step.ts';
import type { DecodeRawBatch, RawMessage } from './decode-raw-batch-step.ts';
import { countCommittedBatch, type DedupeCounters } from './dedupe-counters.ts';
import type { DecidedPartitionBatch, TopicMessages } from './partition-batch-messages.ts';
import type { PartitionOwners } from './partition-owner.ts';
import type { RestoreCoordinator } from './restore-coordinator.ts';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

/** One fetched batch of one events.raw partition, with the consumer's hooks for it. */
export type PartitionBatch = {
  partition: number;
  messages: readonly RawMessage[];
  lastOffset: string;
  heartbeat(): Promise<void>;
  /** False once the batch is no longer this member's to commit (stopping, sought, revoked). */
  isActive(): boolean;
};

/** `committed`: resolve the batch's offsets; `refetch`: leave them, the batch is fetched again. */
export type PartitionBatchOutcome = 'committed' | 'refetch';

export interface PartitionBatchHandlerDeps {
  owners: Pick<PartitionOwners, 'forPartition'>;
  restores: RestoreCoordinator;
  decodeRawBatch: DecodeRawBatch;
  sweepHorizon: HorizonSweeper;
  encodePartitionBatch: (batch: DecidedPartitionBatch) => TopicMessages[];
  commitPartitionBatch: CommitPartitionBatch;
  counters: DedupeCounters;
  /** Where committed batches and failed transactions are reported (Prometheus). Default: nowhere. */
  metrics?: DedupeMetrics;
  log: Logger;
  /** Transient transaction failures retried in place before the batch is fetched again. Default 5. */
  transactionRetries?: number;
}

/** Logs why the consumer stops and throws what stops it (kafkajs neither retries nor restarts). */
function stopConsumer(log: Logger, reason: string, details: Record<string, unknown>): never {
  log.fatal(details, `dedupe consumer stops: ${reason}`);
  throw new ConsumerStopError(reason);
}

/**
 * A partition batch from fetch to commit: restore the partition's state if needed, decode, sweep
 * the horizon, decide, commit in one transaction, and only then apply the state to the local store.
 * Failures of the infrastructure are answered by the transaction-failure policy; a configured or
 * fatal stop throws a ConsumerStopError.
 */
export function createPartitionBatchHandler(deps: PartitionBatchHandlerDeps) {
  const { owners, restores, counters, log } = deps;
  const metrics = deps.metrics ?? noMetrics.dedupe;
  /** Failures in a row per partition, for the backoff before fetching a batch again. */
  const failuresInARow = new Map<number, number>();

  /** Leaves the batch unresolved, so that it is fetched again after a backoff (and a restore). */
  async function refetchLater(
    batch: PartitionBatch,
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

  return async function handlePartitionBatch(batch: PartitionBatch): Promise<PartitionBatchOutcome> {
    const { partition } = batch;
    const startedAt = performance.now();
    try {
      await restores.ensureRestored(partition, batch.heartbeat);
    } catch (error) {
      if (error instanceof ConsumerStopError) throw error;
      log.error(
        { partition, err: error, fenced: isFencedProducerError(error) },
        'state restore failed; retrying',
      );
      return refetchLater(batch, { restoreFirst: true });
    }
    const owner = owners.forPartition(partition);
    const decoded = await deps.decodeRawBatch(partition, batch.messages);
    if (decoded.kind !== 'ok') {
      stopConsumer(log, decoded.reason, {
        partition,
        policy: 'stop',
        setting: 'SHOPFLOOR_BAD_RECORD_POLICY',
      });
    }
    const { records, invalid } = decoded.value;
    let horizon: HorizonChanges;
    try {
      horizon = await deps.sweepHorizon(owner.store, records);
    } catch (error) {
      // The winner lookup (the projection) is unreachable: nothing was decided, try again later.
      log.warn({ partition, err: error }, 'winner lookup failed; deciding the batch again later');
      return refetchLater(batch, { restoreFirst: false });
    }
    const decided = dedupeBatch(owner.store, records, horizon);
    const topicMessages = deps.encodePartitionBatch({ partition, ...decided, invalid });
    const decidedAt = performance.now();

    let checkpoint: string | undefined;
    try {
      checkpoint = await retryWithJitter(
        () => deps.commitPartitionBatch(owner, { partition, lastOffset: batch.lastOffset, topicMessages }),
        {
          retries: deps.transactionRetries ?? 5,
          initialDelayMs: 100,
          maxDelayMs: 5_000,
          isRetriable: (error) =>
            error instanceof TransactionFailure &&
            respondToTransactionFailure(error) === 'retry' &&
            batch.isActive(),
          onRetry: ({ attempt, delayMs, error }) => {
            if (error instanceof TransactionFailure) metrics.transactionFailed(error.phase);
            log.warn({ partition, attempt, delayMs, err: error }, 'dedupe transaction failed; retrying it');
          },
          sleep: async (ms) => {
            await sleep(ms);
            await batch.heartbeat();
          },
        },
      );
    } catch (error) {
      if (!(error instanceof TransactionFailure)) throw error;
      metrics.transactionFailed(error.phase);
      if (respondToTransactionFailure(error) === 'stop') {
        stopConsumer(log, error.message, { partition, phase: error.phase, err: error.error });
      }
      log.warn(
        { partition, phase: error.phase, err: error.error },
        'dedupe transaction failed; restoring the partition and deciding its batch again',
      );
      return refetchLater(batch, { restoreFirst: true });
    }
    decided.commit(checkpoint ?? owner.store.checkpoint() ?? '0');
    failuresInARow.delete(partition);
    const committedAt = performance.now();
    log.debug(
      {
        partition,
        records: batch.messages.length,
        decideMs: decidedAt - startedAt,
        transactionMs: committedAt - decidedAt,
      },
      'dedupe batch committed',
    );
    countCommittedBatch(counters, {
      records: batch.messages.length,
      invalid: invalid.length,
      evicted: horizon.expire?.length ?? 0,
      found: horizon.found?.size ?? 0,
      changes: decided.changes,
    });
    metrics.batchCommitted({
      records: batch.messages.length,
      decisions: decided.changes.map((c) => c.decision),
      invalid: invalid.length,
      evicted: horizon.expire?.length ?? 0,
      found: horizon.found?.size ?? 0,
      transactionSeconds: (committedAt - decidedAt) / 1000,
    });
    return 'committed';
  };
}
