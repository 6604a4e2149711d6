import {
  keyValueChangelogState,
  restoreFromChangelog,
  type StreamProcessorRunner,
  startStreamProcessor,
} from '@shopfloor/consumer';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { KafkaClient } from '@shopfloor/kafka';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import type { Logger } from 'pino';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import { createProcessMetricEventsStep, type MetricBatchCounts } from './process-metric-events-step.ts';

/** What the processor members of this process have committed since start (logs, tests, bench). */
export type MetricProcessorCounters = MetricBatchCounts & { batches: number };

export interface MetricProcessorOptions {
  kafka: KafkaClient;
  codecs: MetricCodecs;
  topics: MetricTopics;
  groupId: string;
  partitions: number;
  /** The processed identities per partition (LMDB on disk, or in memory in tests). */
  stores: StateStoreFactory<MetricStateRecord>;
  log: Logger;
  sessionTimeoutMs?: number;
}

/**
 * The metric-events processor: the platform's stateful stream processor (services/consumer) with
 * the content-hash dedupe step. Exactly once: state + decisions + failures + input offsets in one
 * transaction per partition batch.
 */
export async function startMetricProcessor(
  options: MetricProcessorOptions,
): Promise<StreamProcessorRunner & { counters: MetricProcessorCounters }> {
  const { kafka, codecs, topics, log } = options;
  const counters: MetricProcessorCounters = {
    batches: 0,
    processed: 0,
    duplicates: 0,
    failed: 0,
    undecodable: 0,
  };
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const runner = await startStreamProcessor({
    kafka,
    groupId: options.groupId,
    rawTopic: topics.raw,
    stateTopic: topics.state,
    partitions: options.partitions,
    stores: options.stores,
    restore: (owners, heartbeat) =>
      restoreFromChangelog({
        kafka,
        stateTopic: topics.state,
        stateCodec: codecs.state,
        state: keyValueChangelogState((record: MetricStateRecord) => record),
        allPartitions,
        owners,
        log,
        heartbeat,
      }),
    process: createProcessMetricEventsStep({ codecs, topics }),
    onCommitted: (c) => {
      counters.batches++;
      counters.processed += c.processed;
      counters.duplicates += c.duplicates;
      counters.failed += c.failed;
      counters.undecodable += c.undecodable;
    },
    log,
    ...(options.sessionTimeoutMs === undefined ? {} : { sessionTimeoutMs: options.sessionTimeoutMs }),
  });
  return { ...runner, counters };
}
