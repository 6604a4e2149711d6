import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import { type MetricEventMetrics, noMetrics } from '@shopfloor/metrics';
import {
  keyValueChangelogState,
  reportRestore,
  type StreamMember,
  type StreamMemberOptions,
  startStreamRunner,
  streamMember,
} from '@shopfloor/stream-runner';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import { createProcessMetricEventsStep, type MetricBatchCounts } from './process-metric-events-step.ts';

/** What the processor members of this process have committed since start (logs, tests, bench). */
export type MetricProcessorCounters = MetricBatchCounts & { batches: number };

export interface MetricProcessorOptions extends StreamMemberOptions {
  codecs: MetricCodecs;
  topics: MetricTopics;
  /** The processed identities per partition (LMDB on disk, or in memory in tests). */
  stores: StateStoreFactory<MetricStateRecord>;
  /** Where committed batches and restores are reported (Prometheus). Default: nowhere. */
  metrics?: MetricEventMetrics | undefined;
}

export type MetricProcessor = StreamMember<MetricProcessorCounters>;

/** The processed identities are the store's values as they are: a changelog record is its state. */
const metricChangelogState = keyValueChangelogState((record: MetricStateRecord) => record);

/**
 * The metric-events processor: the platform's one stream runner (services/consumer) with the
 * content-hash dedupe step. Exactly once: state + decisions + failures + input offsets in one
 * transaction per partition batch; the identities are restored from metric.events.state.
 */
export async function startMetricProcessor(options: MetricProcessorOptions): Promise<MetricProcessor> {
  const { codecs, topics } = options;
  const metrics = options.metrics ?? noMetrics.metricEvents;
  const counters: MetricProcessorCounters = {
    batches: 0,
    processed: 0,
    duplicates: 0,
    failed: 0,
    undecodable: 0,
  };
  const runner = await startStreamRunner({
    name: 'metric-events',
    kafka: options.kafka,
    groupId: options.groupId,
    topics: { input: topics.raw, state: topics.state },
    partitions: options.partitions,
    memberIdDir: options.memberIdDir,
    stores: options.stores,
    changelog: { state: metricChangelogState, codec: codecs.state },
    processBatch: createProcessMetricEventsStep({
      codecs,
      topics,
      onCommitted: (c) => {
        counters.batches++;
        counters.processed += c.processed;
        counters.duplicates += c.duplicates;
        counters.failed += c.failed;
        counters.undecodable += c.undecodable;
        metrics.batchCommitted(c);
      },
    }),
    // The store takes a batch's identities only once its transaction committed.
    stateAppliedOnCommit: true,
    onRestored: (reports) => reportRestore(metrics.processor, reports),
    log: options.log,
    sessionTimeoutMs: options.sessionTimeoutMs,
  });
  metrics.processor.sampleRestoreProgress(runner.restoreProgress);
  return streamMember(runner, counters);
}
