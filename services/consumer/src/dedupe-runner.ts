import {
  createHorizonSweeper,
  noHorizon,
  type StateStoreFactory,
  type WinnerLookup,
} from '@shopfloor/dedupe';
import type { KafkaClient, ShopfloorCodecs } from '@shopfloor/kafka';
import { type DedupeMetrics, noMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createCommitPartitionBatchStep } from './commit-partition-batch-step.ts';
import { type BadRecordPolicy, createDecodeRawBatchStep } from './decode-raw-batch-step.ts';
import { createDedupeCounters, type DedupeCounters } from './dedupe-counters.ts';
import { createPartitionBatchHandler } from './partition-batch-handler.ts';
import { encodePartitionBatch } from './partition-batch-messages.ts';
import { PartitionOwners } from './partition-owner.ts';
import { RestoreCoordinator, type RestoreProgress } from './restore-coordinator.ts';
import { restorePartitions } from './state-restorer.ts';

export interface DedupeRunnerOptions {
  kafka: KafkaClient;
  /** How every topic value is read and written (JSON today, Avro through the registry). */
  codecs: ShopfloorCodecs;
  stores: StateStoreFactory;
  topics: { raw: string; state: string; changes: string; invalid: string };
  groupId: string;
  /** Partition count of events.raw (and so of events.state). */
  partitions: number;
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
  /** Where the member reports its transactions, restores and state size (Prometheus). Default: nowhere. */
  metrics?: DedupeMetrics;
  /** How long a crashed member's partitions wait before moving (default 30 s). */
  sessionTimeoutMs?: number;
  /**
   * Bounded state: entries not received for `horizonMs` are dropped, and an event whose eventId is
   * not in the state is decided against its winner from `lookup` (ClickHouse). Off when undefined.
   */
  horizon?: { horizonMs: number; sweepIntervalMs: number; lookup: WinnerLookup };
}

export interface DedupeRunner {
  counters: DedupeCounters;
  assigned(): number[];
  /** Whether every assigned partition's state is restored (for `/ready`). */
  restoreProgress(): RestoreProgress;
  /** Settles with the reason when the consumer stopped on its own: a fatal failure or the `stop` policy. */
  stopped: Promise<Error>;
  stop(): Promise<void>;
}

/**
 * A member of the dedupe consumer group: wires the partition batch handler (restore, decode,
 * horizon, decide, one transaction per partition batch) to the kafkajs consumer.
 */
export async function startDedupeRunner(options: DedupeRunnerOptions): Promise<DedupeRunner> {
  const { kafka, topics, groupId, log, codecs } = options;
  const counters = createDedupeCounters();
  const metrics = options.metrics ?? noMetrics.dedupe;
  const owners = new PartitionOwners(kafka, `${groupId}.${topics.raw}`, options.stores);
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const restores = new RestoreCoordinator(
    (partitions, heartbeat) =>
      restorePartitions({
        kafka,
        stateTopic: topics.state,
        stateCodec: codecs.state,
        allPartitions,
        owners: partitions.map((p) => owners.forPartition(p)),
        log,
        heartbeat,
      }),
    (reports) => {
      counters.restores.push(...reports);
      if (reports.length === 0) return;
      // The partitions of one restore are read together: one duration for all of them.
      metrics.stateRestored({
        records: reports.reduce((sum, r) => sum + r.records, 0),
        seconds: (reports[0]?.ms ?? 0) / 1000,
      });
    },
  );
  metrics.sampleStateEntries(() =>
    restores
      .assigned()
      .map((partition) => ({ partition, entries: owners.forPartition(partition).store.count() })),
  );
  const handlePartitionBatch = createPartitionBatchHandler({
    owners,
    restores,
    decodeRawBatch: createDecodeRawBatchStep({
      codec: codecs.raw,
      policy: options.badRecordPolicy,
      topic: topics.raw,
    }),
    sweepHorizon: options.horizon ? createHorizonSweeper(options.horizon) : noHorizon,
    encodePartitionBatch: (batch) => encodePartitionBatch(codecs, topics, batch),
    commitPartitionBatch: createCommitPartitionBatchStep({
      groupId,
      rawTopic: topics.raw,
      stateTopic: topics.state,
    }),
    counters,
    metrics,
    log,
  });

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 20,
    maxBytesPerPartition: 2 * 1024 * 1024,
  });
  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const assigned = event.payload.memberAssignment[topics.raw] ?? [];
    owners.keepOnly(assigned);
    restores.assign(assigned);
    log.info({ partitions: restores.assigned() }, 'dedupe member joined the group');
  });
  const stopped = new Promise<Error>((resolve) => {
    consumer.on(consumer.events.CRASH, (event) => {
      if (event.payload.restart) return;
      const { error } = event.payload;
      const reason = error.cause instanceof Error ? error.cause : error;
      log.error({ err: reason }, 'dedupe consumer stopped');
      resolve(reason);
    });
  });

  await consumer.connect();
  await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
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
    counters,
    assigned: () => restores.assigned(),
    restoreProgress: () => restores.progress(),
    stopped,
    async stop() {
      await restores.close();
      await consumer.disconnect();
      await owners.releaseAll();
    },
  };
}
