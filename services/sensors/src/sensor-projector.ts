import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import {
  type ApplyGroup,
  type BadRecordPolicy,
  createGroupProjector,
  type GroupProjector,
  type GroupProjectorIo,
  type OutcomeDemand,
  type RebuildStream,
} from '@shopfloor/group-projector';
import type { KafkaClient, RetryOptions } from '@shopfloor/kafka';
import type { ProjectorMetrics, SensorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createApplySensorGroupStep, SENSOR_TABLE_TOKEN_SUFFIX } from './apply-sensor-group-step.ts';
import { createDecodeSensorGroupStep } from './decode-sensor-group-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { SensorJobOutcome } from './sensor-projection.ts';
import type { SensorTopics } from './sensor-topics.ts';

export type SensorProjectorOptions = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  codecs: SensorCodecs;
  topics: SensorTopics;
  groupId: string;
  sessionTimeoutMs: number;
  badRecordPolicy: BadRecordPolicy;
  log: Logger;
  /** Readings projector: a group's job outcomes (with the alerts they raised) are visible. */
  onOutcomes?: ((outcomes: SensorJobOutcome[]) => void) | undefined;
  /** Alert projector: a group's alerts are visible. */
  onAlertsVisible?: ((alertIds: string[]) => void) | undefined;
  retry?: RetryOptions | undefined;
  /** Where applied groups and inserts are reported (`projectorOf('sensor')`). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
  /** Where each alert's time from receivedAt to visible is reported. Default: nowhere. */
  alertMetrics?: Pick<SensorMetrics, 'alertReached'> | undefined;
  /** Where the member id (the static group instance id) is kept: config.dirs.sensorState. */
  memberIdDir?: string | undefined;
  /** Readings projector: its longer window while no synchronous webhook request waits. */
  demand?: OutcomeDemand | undefined;
};

export type SensorProjector = GroupProjector;

/**
 * The sensor stream's apply step into `writer`: the live projectors' (into the serving tables) and
 * the rebuild's (into the rebuild database, publishing and committing nothing) are the same step,
 * for both lanes: it inserts whatever tables its group's topics feed.
 */
export function sensorApplyGroupInto(
  options: Pick<SensorProjectorOptions, 'codecs' | 'topics' | 'badRecordPolicy' | 'log'> &
    Partial<Pick<SensorProjectorOptions, 'metrics' | 'alertMetrics' | 'onOutcomes' | 'onAlertsVisible'>>,
): (writer: ClickHouseWriter, io: GroupProjectorIo) => ApplyGroup {
  const { codecs, topics, log } = options;
  const metrics = options.metrics && {
    projector: options.metrics,
    sensor: options.alertMetrics ?? { alertReached: () => {} },
  };
  return (writer, io) =>
    createApplySensorGroupStep({
      writer,
      decodeGroup: createDecodeSensorGroupStep({
        codecs,
        topics,
        badRecordPolicy: options.badRecordPolicy,
        log,
      }),
      codecs,
      topics,
      ...io,
      log,
      onOutcomes: options.onOutcomes,
      onAlertsVisible: options.onAlertsVisible,
      metrics,
    });
}

/** The two lanes of the sensor projection: what each reads and the tables it inserts into. */
export function sensorProjectionLanes(topics: SensorTopics) {
  const suffix = SENSOR_TABLE_TOKEN_SUFFIX;
  const tables = (names: (keyof typeof suffix)[]) => names;
  return {
    /** Bulk groups: readings (and their rollups), jobs, resolutions, dead letters. */
    readings: {
      name: 'sensor',
      inputTopics: [topics.processedBatches, topics.processed, topics.resolutions, topics.deadLetter],
      rootTables: tables(['sensor_readings', 'sensor_alert_resolutions', 'sensor_batch_readings']),
    },
    /** Small immediate groups: an alert never waits behind the readings tables' inserts. */
    alerts: {
      name: 'sensor-alerts',
      inputTopics: [topics.alerts],
      rootTables: tables(['sensor_alerts']),
    },
  } as const;
}

/**
 * sensor.readings, sensor.alert-resolutions and sensor.dlq into ClickHouse, exactly once, through
 * the projector wiring every stream shares (`createGroupProjector` of `@shopfloor/group-projector`). Only
 * the decode and apply steps are the sensor stream's.
 */
export function createSensorProjector(options: SensorProjectorOptions): SensorProjector {
  const lane = sensorProjectionLanes(options.topics).readings;
  return createGroupProjector({
    ...wiring(options),
    name: lane.name,
    inputTopics: lane.inputTopics,
    publishes: true,
    demand: options.demand,
  });
}

/**
 * sensor.alerts into ClickHouse in a consumer group of its own, a group per fetch (issue 12's
 * 500 ms): the same steps, recovery and dedup tokens as the readings projector. It never parks
 * (a bad alert record follows the policy: dead-letter publishes through the same producer).
 */
export function createSensorAlertProjector(options: SensorProjectorOptions): SensorProjector {
  const lane = sensorProjectionLanes(options.topics).alerts;
  return createGroupProjector({
    ...wiring(options),
    name: lane.name,
    inputTopics: lane.inputTopics,
    publishes: true,
    grouping: 'immediate',
  });
}

function wiring(options: SensorProjectorOptions) {
  const applyGroupInto = sensorApplyGroupInto(options);
  return {
    kafka: options.kafka,
    writer: options.writer,
    log: options.log,
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs,
    retry: options.retry,
    metrics: options.metrics,
    memberIdDir: options.memberIdDir,
    createApplyGroup: (io: GroupProjectorIo) => applyGroupInto(options.writer, io),
  };
}

/**
 * The sensor stream's part of `shopfloor rebuild` (POST /admin/rebuild): both lanes, each with its
 * live projector and tables, under the one name `sensors`.
 */
export function sensorRebuildStreams(
  projectors: { readings: SensorProjector; alerts: SensorProjector },
  options: Pick<SensorProjectorOptions, 'codecs' | 'topics' | 'badRecordPolicy' | 'log'>,
): RebuildStream[] {
  const lanes = sensorProjectionLanes(options.topics);
  const applyGroupInto = sensorApplyGroupInto(options);
  return (['readings', 'alerts'] as const).map((lane) => ({
    name: 'sensors',
    projector: projectors[lane],
    rootTables: lanes[lane].rootTables,
    applyGroupInto,
  }));
}
