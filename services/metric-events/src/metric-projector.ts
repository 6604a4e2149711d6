import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { KafkaClient } from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import { createGroupProjector, type GroupProjector } from '@shopfloor/projector';
import type { Logger } from 'pino';
import { createApplyMetricGroupStep } from './apply-metric-group-step.ts';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import type { MetricOutcomeNotice } from './outcome-waiters.ts';

export type MetricProjector = GroupProjector;

/**
 * metric.events.processed and metric.events.failed into ClickHouse, exactly once, through the
 * projector wiring every stream shares (`createGroupProjector` of `@shopfloor/projector`). Only the
 * apply step is the stream's own; it publishes nothing, so no producer is connected.
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
  /** Where applied groups are reported (`projectorOf('metric-events')`). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
}): MetricProjector {
  const { writer, log } = deps;
  return createGroupProjector({
    kafka: deps.kafka,
    writer,
    log,
    name: 'metric-events',
    groupId: deps.groupId,
    sessionTimeoutMs: deps.sessionTimeoutMs,
    inputTopics: [deps.topics.processed, deps.topics.failed],
    publishes: false,
    metrics: deps.metrics,
    createApplyGroup: ({ commitOffsets, retry }) =>
      createApplyMetricGroupStep({
        writer,
        codecs: deps.codecs,
        topics: deps.topics,
        commitOffsets,
        retry,
        log,
        ...(deps.onOutcomes ? { onOutcomes: deps.onOutcomes } : {}),
      }),
  });
}
