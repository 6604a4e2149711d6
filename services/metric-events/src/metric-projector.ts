import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import {
  type ApplyGroup,
  createGroupProjector,
  type GroupProjector,
  type GroupProjectorIo,
  type RebuildStream,
} from '@shopfloor/group-projector';
import type { KafkaClient } from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createApplyMetricGroupStep, METRIC_TOKEN_SUFFIX } from './apply-metric-group-step.ts';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import type { MetricOutcomeNotice } from './outcome-waiters.ts';

export type MetricProjector = GroupProjector;

type MetricApplyOptions = {
  codecs: MetricCodecs;
  topics: MetricTopics;
  log: Logger;
  onOutcomes?: (outcomes: MetricOutcomeNotice[]) => void;
};

/**
 * The metric stream's apply step into `writer`: the live projector's (into the serving tables) and
 * the rebuild's (into the rebuild database, committing nothing) are the same step.
 */
export function metricApplyGroupInto(
  options: MetricApplyOptions,
): (writer: ClickHouseWriter, io: GroupProjectorIo) => ApplyGroup {
  return (writer, { commitOffsets, retry }) =>
    createApplyMetricGroupStep({
      writer,
      codecs: options.codecs,
      topics: options.topics,
      commitOffsets,
      retry,
      log: options.log,
      ...(options.onOutcomes ? { onOutcomes: options.onOutcomes } : {}),
    });
}

/**
 * metric.events.processed and metric.events.failed into ClickHouse, exactly once, through the
 * projector wiring every stream shares (`createGroupProjector` of `@shopfloor/group-projector`). Only the
 * apply step is the stream's own; it publishes nothing, so no producer is connected.
 */
export function createMetricProjector(
  deps: MetricApplyOptions & {
    kafka: KafkaClient;
    writer: ClickHouseWriter;
    groupId: string;
    sessionTimeoutMs: number;
    /** Where applied groups are reported (`projectorOf('metric-events')`). Default: nowhere. */
    metrics?: ProjectorMetrics | undefined;
    /** Where the member id (the static group instance id) is kept: the stream's state dir. */
    memberIdDir?: string | undefined;
  },
): MetricProjector {
  const { writer, log } = deps;
  const applyGroupInto = metricApplyGroupInto(deps);
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
    memberIdDir: deps.memberIdDir,
    createApplyGroup: (io) => applyGroupInto(writer, io),
  });
}

/** The metric stream's part of `shopfloor rebuild` (POST /admin/rebuild): its live projector and tables. */
export function metricRebuildStream(
  projector: MetricProjector,
  options: Omit<MetricApplyOptions, 'onOutcomes'>,
): RebuildStream {
  return {
    name: 'metric-events',
    projector,
    rootTables: Object.keys(METRIC_TOKEN_SUFFIX),
    applyGroupInto: metricApplyGroupInto(options),
  };
}
