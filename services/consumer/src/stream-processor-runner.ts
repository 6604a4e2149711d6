import { setTimeout as sleep } from 'node:timers/promises';
import type { StepResult } from '@shopfloor/contracts';
import {
  backoffDelay,
  type ConsumedMessage,
  ConsumerStopError,
  type KafkaClient,
  retryWithJitter,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { RestoreReport } from './changelog-restorer.ts';
import { createCommitPartitionBatchStep, TransactionFailure } from './commit-partition-batch-step.ts';
import type { TopicMessages } from './partition-batch-messages.ts';
import { type PartitionOwner, PartitionOwners } from './partition-owner.ts';
import { RestoreCoordinator } from './restore-coordinator.ts';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

/** What a stream's processing step made of one partition batch. */
export type ProcessedMetricBatch<C> = {
  /** Everything the batch's transaction writes (state changelog included), offsets aside. */
  topicMessages: TopicMessages[];
  /** Applies the batch's state to the local store once committed, with the new checkpoint. */
  afterCommit: (checkpoint: string | undefined) => void;
  /** What the batch did, for the stream's counters. */
  counts: C;
};

export interface StreamProcessorOptions<S extends { readonly partition: number }, C> {
  kafka: KafkaClient;
  /** Consumer group, and the prefix of the transactional ids (`<group>.<raw topic>.<p>`). */
  groupId: string;
  rawTopic: string;
  stateTopic: string;
  /** Partition count of the raw topic (and so of its co-partitioned state topic). */
  partitions: number;
  /** The per-partition state of this member. */
  stores: { open(partition: number): S };
  /** Restores these partitions' state from the changelog (e.g. `restoreFromChangelog`). */
  restore: (owners: PartitionOwner<S>[], heartbeat: () => Promise<void>) => Promise<RestoreReport[]>;
  /** The stream's step: decode, decide, encode. Bad data is parked, never thrown; `dlq` stops. */
  process: (
    store: S,
    partition: number,
    messages: readonly ConsumedMessage[],
  ) => Promise<StepResult<ProcessedMetricBatch<C>>>;
  onCommitted?: (counts: C) => void;
  log: Logger;
  sessionTimeoutMs?: number;
  /** Transient transaction failures retried in place before the batch is fetched again. Default 5. */
  transactionRetries?: number;
}

export interface StreamProcessorRunner {
  assigned(): number[];
  /** Settles with the reason when the consumer stopped on its own (a fatal failure). */
  stopped: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * A member of a stateful stream processor group, for any stream on the platform: per partition
 * batch, restore the partition's state if it is new to this member (or its last transaction
 * failed), run the stream's step, then commit one transaction on the partition's own producer:
 * state changelog + outputs + input offsets (`sendOffsets`). Only then does the local store take
 * the state. Transient failures before the commit request are retried in place; a fenced producer
 * or a commit in doubt restores the partition and fetches the batch again; a fatal one stops.
 */
export async function startStreamProcessor<S extends { readonly partition: number }, C>(
  options: StreamProcessorOptions<S, C>,
): Promise<StreamProcessorRunner> {
  const { kafka, groupId, log } = options;
  const owners = new PartitionOwners<S>(kafka, `${groupId}.${options.rawTopic}`, options.stores);
  const restores = new RestoreCoordinator((partitions, heartbeat) =>
    options.restore(
      partitions.map((p) => owners.forPartition(p)),
      heartbeat,
    ),
  );
  const commit = createCommitPartitionBatchStep({
    groupId,
    rawTopic: options.rawTopic,
    stateTopic: options.stateTopic,
  });
  const failuresInARow = new Map<number, number>();

  async function refetchLater(partition: number, heartbeat: () => Promise<void>): Promise<void> {
    const failures = failuresInARow.get(partition) ?? 0;
    failuresInARow.set(partition, failures + 1);
    restores.invalidate(partition);
    await sleep(backoffDelay(failures, { initialDelayMs: 200, maxDelayMs: 10_000 }));
    await heartbeat();
  }

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 20,
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[options.rawTopic] ?? [];
    owners.keepOnly(assigned);
    restores.assign(assigned);
    log.info(
      { partitions: restores.assigned(), topic: options.rawTopic },
      'stream processor joined the group',
    );
  });
  const stopped = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      const { error } = event.payload;
      log.error({ err: error }, 'stream processor stopped');
      resolve(error.cause instanceof Error ? error.cause : error);
    });
  });

  await consumer.connect();
  await consumer.subscribe({ topic: options.rawTopic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const { partition } = batch;
      try {
        await restores.ensureRestored(partition, heartbeat);
      } catch (error) {
        log.error({ partition, err: error }, 'state restore failed; retrying');
        return refetchLater(partition, heartbeat);
      }
      const owner = owners.forPartition(partition);
      const result = await options.process(owner.store, partition, batch.messages);
      if (result.kind !== 'ok') {
        log.fatal({ partition, reason: result.reason }, `stream processor stops: ${result.reason}`);
        throw new ConsumerStopError(result.reason);
      }
      let checkpoint: string | undefined;
      try {
        checkpoint = await retryWithJitter(
          () =>
            commit(owner, {
              partition,
              lastOffset: batch.lastOffset(),
              topicMessages: result.value.topicMessages,
            }),
          {
            retries: options.transactionRetries ?? 5,
            initialDelayMs: 100,
            maxDelayMs: 5_000,
            isRetriable: (error) =>
              error instanceof TransactionFailure &&
              respondToTransactionFailure(error) === 'retry' &&
              isRunning() &&
              !isStale(),
            onRetry: ({ attempt, delayMs, error }) =>
              log.warn({ partition, attempt, delayMs, err: error }, 'transaction failed; retrying it'),
            sleep: async (ms) => {
              await sleep(ms);
              await heartbeat();
            },
          },
        );
      } catch (error) {
        if (!(error instanceof TransactionFailure)) throw error;
        if (respondToTransactionFailure(error) === 'stop') {
          log.fatal({ partition, err: error.error }, `stream processor stops: ${error.message}`);
          throw new ConsumerStopError(error.message);
        }
        log.warn(
          { partition, err: error.error },
          'transaction failed; restoring the partition and processing again',
        );
        return refetchLater(partition, heartbeat);
      }
      result.value.afterCommit(checkpoint);
      failuresInARow.delete(partition);
      options.onCommitted?.(result.value.counts);
      resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });

  return {
    assigned: () => restores.assigned(),
    stopped,
    async stop() {
      await consumer.disconnect();
      await owners.releaseAll();
    },
  };
}
