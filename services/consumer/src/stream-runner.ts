import type { ConsumedMessage, KafkaClient, RecordCodec } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type ChangelogState, type RestoreReport, restoreFromChangelog } from './changelog-restorer.ts';
import { createCommitPartitionBatchStep } from './commit-partition-batch-step.ts';
import {
  createPartitionBatchHandler,
  type PartitionBatchHandlerDeps,
  type ProcessPartitionBatch,
} from './partition-batch-handler.ts';
import { PartitionOwners } from './partition-owner.ts';
import { RestoreCoordinator, type RestoreProgress } from './restore-coordinator.ts';

export interface StreamRunnerOptions<S extends { readonly partition: number }, V> {
  /** Names the stream in logs ("dedupe", "sensor"). */
  name: string;
  kafka: KafkaClient;
  groupId: string;
  /** The input topic and its co-partitioned, compacted state changelog. */
  topics: { input: string; state: string };
  /** Partition count of the input topic (and so of the changelog). */
  partitions: number;
  /** Opens the state of a newly owned partition. */
  stores: { open(partition: number): S };
  /** How the state is read back from the changelog, and how its values are decoded. */
  changelog: { state: ChangelogState<S, V>; codec: RecordCodec<V> };
  processBatch: ProcessPartitionBatch<S, ConsumedMessage>;
  stateAppliedOnCommit: boolean;
  onRestored?: ((reports: RestoreReport[]) => void) | undefined;
  onTransactionFailed?: PartitionBatchHandlerDeps<S>['onTransactionFailed'];
  log: Logger;
  /** How long a crashed member's partitions wait before moving (default 30 s). */
  sessionTimeoutMs?: number | undefined;
  maxBytesPerPartition?: number | undefined;
}

export interface StreamRunner<S> {
  assigned(): number[];
  /** Whether every assigned partition's state is restored (for `/ready`, see restoreDone in @shopfloor/ops). */
  restoreProgress(): RestoreProgress;
  /** The state of an assigned partition (opened on first use). */
  stateOf(partition: number): S;
  /** Settles with the reason when the consumer stopped on its own: a fatal failure or the `stop` policy. */
  stopped: Promise<Error>;
  /** Aborts a restore in flight, leaves the group and releases the partitions' producers. */
  stop(): Promise<void>;
}

/**
 * A member of a stateful stream's consumer group, the loop every stream shares: on a group join it
 * lets go of revoked partitions and starts restoring the assigned ones at once, in the background
 * (so `/ready` is true before the first batch, idle partitions included); each fetched
 * partition batch goes through the partition batch handler (restore, the stream's step, one
 * transaction with the input offset on the partition's own producer). Only the step and the state
 * are the stream's.
 */
export async function startStreamRunner<S extends { readonly partition: number }, V>(
  options: StreamRunnerOptions<S, V>,
): Promise<StreamRunner<S>> {
  const { kafka, topics, groupId, log, name } = options;
  // The transactional id of partition p is the same on every member: a new owner fences the last.
  const owners = new PartitionOwners<S>(kafka, `${groupId}.${topics.input}`, options.stores);
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const restores = new RestoreCoordinator(
    (partitions, heartbeat) =>
      restoreFromChangelog({
        kafka,
        stateTopic: topics.state,
        stateCodec: options.changelog.codec,
        state: options.changelog.state,
        allPartitions,
        owners: partitions.map((p) => owners.forPartition(p)),
        log,
        heartbeat,
      }),
    options.onRestored,
  );
  const handlePartitionBatch = createPartitionBatchHandler<S, ConsumedMessage>({
    name,
    owners,
    restores,
    processBatch: options.processBatch,
    stateAppliedOnCommit: options.stateAppliedOnCommit,
    commitPartitionBatch: createCommitPartitionBatchStep({
      groupId,
      rawTopic: topics.input,
      stateTopic: topics.state,
    }),
    onTransactionFailed: options.onTransactionFailed,
    log,
  });

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 20,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topics.input] ?? [];
    owners.keepOnly(assigned);
    restores.assign(assigned);
    log.info({ partitions: restores.assigned() }, `${name} member joined the group`);
  });
  const stopped = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      const { error } = event.payload;
      const reason = error.cause instanceof Error ? error.cause : error;
      log.error({ err: reason }, `${name} consumer stopped`);
      resolve(reason);
    });
  });

  await consumer.connect();
  await consumer.subscribe({ topic: topics.input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Every partition has its own producer, so all can commit at once.
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const outcome = await handlePartitionBatch({
        partition: batch.partition,
        messages: batch.messages,
        lastOffset: batch.lastOffset(),
        heartbeat,
        isActive: () => isRunning() && !isStale(),
      });
      if (outcome === 'committed') resolveOffset(batch.lastOffset());
      await heartbeat();
    },
  });

  return {
    assigned: () => restores.assigned(),
    restoreProgress: () => restores.progress(),
    stateOf: (partition) => owners.forPartition(partition).store,
    stopped,
    async stop() {
      await restores.close(); // a restore still running is aborted, not left reading
      await consumer.disconnect();
      await owners.releaseAll();
    },
  };
}
