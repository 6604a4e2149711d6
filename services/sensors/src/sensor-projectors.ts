import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { OutcomeDemand, RebuildStream } from '@shopfloor/group-projector';
import type { KafkaClient } from '@shopfloor/kafka';
import type { ProjectorMetrics, SensorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createAlertVisibilityGate } from './alert-visibility-gate.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import {
  createSensorAlertProjector,
  createSensorProjector,
  type SensorProjector,
  sensorRebuildStreams,
} from './sensor-projector.ts';
import type { SensorTopics } from './sensor-topics.ts';

/** A consumer group and the topics it reads (the consumer lag, the projection checks). */
export type SensorGroup = { groupId: string; topics: string[] };

export type SensorProjectorsConfig = Pick<
  ShopfloorConfig,
  | 'SHOPFLOOR_SENSOR_PROJECTOR_GROUP'
  | 'SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
  | 'SHOPFLOOR_BAD_RECORD_POLICY'
  | 'SHOPFLOOR_SYNC_TIMEOUT_MS'
  | 'SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS'
>;

/**
 * The sensor stream's two projectors (readings: bulk groups; alerts: a group per fetch), their
 * groups and their part of the rebuild. A job's outcome goes to `deliver` once its readings and
 * the alerts they raised are both in ClickHouse (the webhook's default answer promises both).
 */
export function createSensorProjectors(
  config: SensorProjectorsConfig,
  deps: {
    kafka: KafkaClient;
    writer: ClickHouseWriter;
    codecs: SensorCodecs;
    topics: SensorTopics;
    log: Logger;
    metrics: { sensor: SensorMetrics; projector: ProjectorMetrics; alertProjector: ProjectorMetrics };
    deliver: (outcome: OutcomeRecord) => void;
    /** The webhook's synchronous waiters (the readings projector's window follows them). */
    awaited: Pick<OutcomeDemand, 'awaited' | 'onAwaited'>;
    /** Where the member id (the projectors' static group instance id) is kept. */
    memberIdDir?: string | undefined;
  },
) {
  const { kafka, writer, codecs, topics, log, metrics } = deps;
  const visibility = createAlertVisibilityGate({
    deliver: deps.deliver,
    holdMs: 2 * config.SHOPFLOOR_SYNC_TIMEOUT_MS,
  });
  const common = {
    kafka,
    writer,
    codecs,
    topics,
    sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
    badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
    memberIdDir: deps.memberIdDir,
  };
  const projector: SensorProjector = createSensorProjector({
    ...common,
    groupId: config.SHOPFLOOR_SENSOR_PROJECTOR_GROUP,
    log: log.child({ component: 'sensor-projector' }),
    metrics: metrics.projector,
    onOutcomes: (records) => visibility.outcomesVisible(records),
    demand: { ...deps.awaited, idleWindowMs: config.SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS },
  });
  const alertProjector: SensorProjector = createSensorAlertProjector({
    ...common,
    groupId: config.SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP,
    log: log.child({ component: 'sensor-alert-projector' }),
    metrics: metrics.alertProjector,
    alertMetrics: metrics.sensor,
    onAlertsVisible: (alertIds) => visibility.alertsVisible(alertIds),
  });
  const groups: SensorGroup[] = [
    { groupId: config.SHOPFLOOR_SENSOR_PROJECTOR_GROUP, topics: [...projector.inputTopics] },
    { groupId: config.SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP, topics: [...alertProjector.inputTopics] },
  ];
  const rebuildStreams: RebuildStream[] = sensorRebuildStreams(
    { readings: projector, alerts: alertProjector },
    {
      codecs,
      topics,
      badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
      log: log.child({ component: 'rebuild' }),
    },
  );
  return { projector, alertProjector, groups, rebuildStreams };
}
