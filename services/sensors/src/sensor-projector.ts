import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { KafkaClient, RetryOptions } from '@shopfloor/kafka';
import type { ProjectorMetrics, SensorMetrics } from '@shopfloor/metrics';
import {
  type ApplyGroup,
  type BadRecordPolicy,
  createGroupProjector,
  type GroupProjector,
  type GroupProjectorIo,
  type RebuildStream,
} from '@shopfloor/projector';
import type { Logger } from 'pino';
import { createApplySensorGroupStep, SENSOR_TABLE_TOKEN_SUFFIX } from './apply-sensor-group-step.ts';
import { createDecodeSensorGroupStep } from './decode-sensor-group-step.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
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
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
  retry?: RetryOptions | undefined;
  /** Where applied groups and inserts are reported (`projectorOf('sensor')`). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
  /** Where each alert's time from receivedAt to visible is reported. Default: nowhere. */
  alertMetrics?: Pick<SensorMetrics, 'alertReached'> | undefined;
};

export type SensorProjector = GroupProjector;

/**
 * The sensor stream's apply step into `writer`: the live projector's (into the serving tables) and
 * the rebuild's (into the rebuild database, publishing and committing nothing) are the same step.
 */
export function sensorApplyGroupInto(
  options: Pick<SensorProjectorOptions, 'codecs' | 'topics' | 'badRecordPolicy' | 'log' | 'onOutcomes'> &
    Partial<Pick<SensorProjectorOptions, 'metrics' | 'alertMetrics'>>,
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
      metrics,
    });
}

/**
 * sensor.readings, sensor.alerts, sensor.alert-resolutions and sensor.dlq into ClickHouse, exactly
 * once, through the projector wiring every stream shares (`createGroupProjector` of
 * `@shopfloor/projector`). Only the decode and apply steps are the sensor stream's.
 */
export function createSensorProjector(options: SensorProjectorOptions): SensorProjector {
  const { writer, topics, log } = options;
  const applyGroupInto = sensorApplyGroupInto(options);
  return createGroupProjector({
    kafka: options.kafka,
    writer,
    log,
    name: 'sensor',
    groupId: options.groupId,
    sessionTimeoutMs: options.sessionTimeoutMs,
    inputTopics: [topics.processed, topics.alerts, topics.resolutions, topics.deadLetter],
    publishes: true,
    retry: options.retry,
    metrics: options.metrics,
    createApplyGroup: (io) => applyGroupInto(writer, io),
  });
}

/** The sensor stream's part of `shopfloor rebuild` (POST /admin/rebuild): its live projector and tables. */
export function sensorRebuildStream(
  projector: SensorProjector,
  options: Pick<SensorProjectorOptions, 'codecs' | 'topics' | 'badRecordPolicy' | 'log'>,
): RebuildStream {
  return {
    name: 'sensors',
    projector,
    rootTables: Object.keys(SENSOR_TABLE_TOKEN_SUFFIX),
    applyGroupInto: sensorApplyGroupInto(options),
  };
}
