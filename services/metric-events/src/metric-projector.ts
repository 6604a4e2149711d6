import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { Consumer, KafkaClient } from '@shopfloor/kafka';
import {
  createGroupSink,
  createProjectorConsumer,
  createRetryWithHeartbeat,
  emptyCounters,
  loadSinkState,
  PROJECTOR_RETRY,
  type ProjectorCounters,
  runProjectorConsumer,
} from '@shopfloor/projector';
import type { Logger } from 'pino';
import { createApplyMetricGroupStep } from './apply-metric-group-step.ts';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import type { MetricOutcomeNotice } from './outcome-waiters.ts';

export interface MetricProjector {
  counters: ProjectorCounters;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * metric.events.processed and metric.events.failed into ClickHouse, exactly once, with the events
 * projector's sink (record the group's offset ranges in sink_offsets, insert with tokens made of
 * them, commit; re-form and re-apply the latest group after a crash). Only the apply step is the
 * stream's own.
 */
export function createMetricProjector(deps: {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  codecs: MetricCodecs;
  topics: MetricTopics;
  groupId: string;
  sessionTimeoutMs: number;
  log: Logger;
  onOutcomes?: (outcomes: MetricOutcomeNotice[]) => void;
}): MetricProjector {
  const { kafka, writer, log } = deps;
  const inputTopics = [deps.topics.processed, deps.topics.failed];
  const counters = emptyCounters();
  let consumer: Consumer | undefined;
  return {
    counters,
    async start() {
      const state = await loadSinkState(writer, kafka, { groupId: deps.groupId, topics: inputTopics });
      consumer = createProjectorConsumer(kafka, {
        groupId: deps.groupId,
        sessionTimeoutMs: deps.sessionTimeoutMs,
      });
      const committer = consumer;
      const retry = createRetryWithHeartbeat(log, PROJECTOR_RETRY);
      const sink = createGroupSink({
        state,
        writer,
        applyGroup: createApplyMetricGroupStep({
          writer,
          codecs: deps.codecs,
          topics: deps.topics,
          commitOffsets: (offsets) => committer.commitOffsets(offsets),
          retry,
          log,
          ...(deps.onOutcomes ? { onOutcomes: deps.onOutcomes } : {}),
        }),
        retry,
        log,
        counters,
      });
      await runProjectorConsumer(consumer, { topics: inputTopics, flush: (batches) => sink.flush(batches) });
    },
    async stop() {
      await consumer?.disconnect();
    },
  };
}
