import {
  createHorizonSweeper,
  noHorizon,
  type StateStoreFactory,
  type WinnerLookup,
} from '@shopfloor/dedupe';
import type { KafkaClient, ShopfloorCodecs } from '@shopfloor/kafka';
import { type DedupeMetrics, noMetrics } from '@shopfloor/metrics';
import { type RestoreProgress, reportRestore, startStreamRunner } from '@shopfloor/stream-runner';
import type { Logger } from 'pino';
import { createDecidePartitionBatchStep } from './decide-partition-batch-step.ts';
import { type BadRecordPolicy, createDecodeRawBatchStep } from './decode-raw-batch-step.ts';
import { createDedupeCounters, type DedupeCounters } from './dedupe-counters.ts';
import { encodePartitionBatch } from './partition-batch-messages.ts';
import { dedupeChangelogState } from './state-restorer.ts';

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
  /** Where the member id is kept (see StreamRunnerOptions.memberIdDir). */
  memberIdDir?: string;
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
 * A member of the dedupe consumer group: the shared stream runner with the dedupe store restored
 * from events.state and the decide step (decode, horizon, decide) on each partition batch.
 */
export async function startDedupeRunner(options: DedupeRunnerOptions): Promise<DedupeRunner> {
  const { topics, codecs } = options;
  const counters = createDedupeCounters();
  const metrics = options.metrics ?? noMetrics.dedupe;
  const runner = await startStreamRunner({
    name: 'dedupe',
    kafka: options.kafka,
    groupId: options.groupId,
    topics: { input: topics.raw, state: topics.state },
    partitions: options.partitions,
    stores: options.stores,
    changelog: { state: dedupeChangelogState, codec: codecs.state },
    processBatch: createDecidePartitionBatchStep({
      decodeRawBatch: createDecodeRawBatchStep({
        codec: codecs.raw,
        policy: options.badRecordPolicy,
        topic: topics.raw,
      }),
      sweepHorizon: options.horizon ? createHorizonSweeper(options.horizon) : noHorizon,
      encodePartitionBatch: (batch) => encodePartitionBatch(codecs, topics, batch),
      counters,
      metrics,
    }),
    memberIdDir: options.memberIdDir,
    stateAppliedOnCommit: true,
    onRestored: (reports) => {
      counters.restores.push(...reports);
      reportRestore(metrics, reports);
    },
    onTransactionFailed: (phase) => metrics.transactionFailed(phase),
    log: options.log,
    sessionTimeoutMs: options.sessionTimeoutMs,
    maxBytesPerPartition: 2 * 1024 * 1024,
  });
  metrics.sampleStateEntries(() =>
    runner.assigned().map((partition) => ({ partition, entries: runner.stateOf(partition).count() })),
  );
  return {
    counters,
    assigned: runner.assigned,
    restoreProgress: runner.restoreProgress,
    stopped: runner.stopped,
    stop: runner.stop,
  };
}
