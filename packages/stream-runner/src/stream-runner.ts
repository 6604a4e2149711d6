import { randomUUID } from 'node:crypto';
import {
  type ConsumedMessage,
  consumerStopped,
  EMPTY_FETCH_WAIT_MS,
  type KafkaClient,
  loadMemberId,
  type RecordCodec,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { type ChangelogState, type RestoreReport, restoreFromChangelog } from './changelog-restorer.ts';
import { createCommitPartitionBatchesStep } from './commit-partition-batch-step.ts';
import { createFetchTransactions, type FetchTransactionsDeps } from './fetch-transaction.ts';
import { createPartitionBatchHandler, type ProcessPartitionBatch } from './partition-batch-handler.ts';
import { MemberProducer, PartitionOwners } from './partition-owner.ts';
import { RestoreCoordinator, type RestoreProgress } from './restore-coordinator.ts';

export interface StreamRunnerOptions<S extends { readonly partition: number }, V> {
  /** Names the stream in logs ("dedupe", "sensor"). */
  name: string;
  kafka: KafkaClient;
  groupId: string;
  /**
   * The input topic and its co-partitioned, compacted state changelog; `writeOnceState`, a second,
   * uncompacted changelog for state entries written once and never superseded (read whole on every
   * restore, after `state`; see restoreFromChangelog).
   */
  topics: { input: string; state: string; writeOnceState?: string | undefined };
  /** Partition count of the input topic (and so of the changelog). */
  partitions: number;
  /** Opens the state of a newly owned partition. */
  stores: { open(partition: number): S };
  /** How the state is read back from the changelog, and how its values are decoded. */
  changelog: { state: ChangelogState<S, V>; codec: RecordCodec<V> };
  processBatch: ProcessPartitionBatch<S, ConsumedMessage>;
  stateAppliedOnCommit: boolean;
  onRestored?: ((reports: RestoreReport[]) => void) | undefined;
  onTransactionFailed?: FetchTransactionsDeps['onTransactionFailed'];
  log: Logger;
  /**
   * The process's state directory, where its member id is kept (member-id.ts in @shopfloor/kafka):
   * the transactional id of the member's one producer is `<group>.<input topic>.<member id>`, and
   * the member id is its static group instance id (KIP-345), both the same after a restart. So a
   * restarted process takes its place in the group back at once (no rebalance, no wait for the
   * dead member's session) and aborts the transaction it left open. Without it, a new id at every
   * start and a dynamic member: a restarted process waits out its dead self's session, and its open
   * transaction blocks its partitions until the transaction timeout aborts it.
   */
  memberIdDir?: string | undefined;
  /** The broker aborts a transaction left open longer (a crashed member's). Default 10 s, as Kafka Streams. */
  transactionTimeoutMs?: number | undefined;
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
 * partition batch goes through the partition batch handler (restore, the stream's step), and the
 * batches of one fetch commit in ONE transaction with their input offsets, on the member's one
 * producer, fenced by the group generation (KIP-447). Only the step and the state are the stream's.
 */
export async function startStreamRunner<S extends { readonly partition: number }, V>(
  options: StreamRunnerOptions<S, V>,
): Promise<StreamRunner<S>> {
  const { kafka, topics, groupId, log, name } = options;
  const memberId = options.memberIdDir ? loadMemberId(options.memberIdDir) : randomUUID();
  // One producer per member (KIP-447): zombies of other members are fenced by the group generation
  // of their offset commits; a restart of this one by its stable transactional id.
  const member = new MemberProducer(kafka, `${groupId}.${topics.input}.${memberId}`, {
    transactionTimeoutMs: options.transactionTimeoutMs ?? 10_000,
  });
  const owners = new PartitionOwners<S>(member, options.stores);
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const restores = new RestoreCoordinator(
    (partitions, heartbeat) =>
      restoreFromChangelog({
        kafka,
        stateTopic: topics.state,
        writeOnceStateTopic: topics.writeOnceState,
        stateCodec: options.changelog.codec,
        state: options.changelog.state,
        allPartitions,
        owners: partitions.map((p) => owners.forPartition(p)),
        log,
        heartbeat,
      }),
    options.onRestored,
  );
  const commitPartitionBatches = createCommitPartitionBatchesStep({
    groupId,
    rawTopic: topics.input,
    stateTopic: topics.state,
  });
  const fetchTransactions = createFetchTransactions({
    name,
    log,
    onTransactionFailed: options.onTransactionFailed,
    commit: (entries) =>
      commitPartitionBatches(
        member,
        entries.map((e) => e.toCommit),
        entries[0]?.batch.groupMetadata,
      ),
  });
  const handlePartitionBatch = createPartitionBatchHandler<S, ConsumedMessage>({
    name,
    owners,
    restores,
    processBatch: options.processBatch,
    stateAppliedOnCommit: options.stateAppliedOnCommit,
    fetchTransactions,
    log,
  });

  const consumer = kafka.consumer({
    groupId,
    ...(options.memberIdDir ? { groupInstanceId: memberId } : {}),
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: EMPTY_FETCH_WAIT_MS,
    ...(options.maxBytesPerPartition ? { maxBytesPerPartition: options.maxBytesPerPartition } : {}),
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topics.input] ?? [];
    owners.keepOnly(assigned);
    restores.assign(assigned);
    log.info({ partitions: restores.assigned() }, `${name} member joined the group`);
  });
  const stopped = consumerStopped(consumer).then((reason) => {
    log.error({ err: reason }, `${name} consumer stopped`);
    return reason;
  });

  await consumer.connect();
  await consumer.subscribe({ topic: topics.input, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Every partition batch of a fetch runs at once, and they commit in one transaction.
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale, groupMetadata }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const outcome = await handlePartitionBatch({
        partition: batch.partition,
        messages: batch.messages,
        lastOffset: batch.lastOffset(),
        heartbeat,
        isActive: () => isRunning() && !isStale(),
        groupMetadata,
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
