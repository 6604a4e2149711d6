import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { KafkaClient, RetryOptions } from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import { type BadRecordPolicy, createGroupProjector, type GroupProjector } from '@shopfloor/projector';
import type { Logger } from 'pino';
import { createApplySensorGroupStep } from './apply-sensor-group-step.ts';
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
  /** Where applied groups are reported (`projectorOf('sensor')`). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
};

export type SensorProjector = GroupProjector;

/**
 * sensor.readings, sensor.alerts, sensor.alert-resolutions and sensor.dlq into ClickHouse, exactly
 * once, through the projector wiring every stream shares (`createGroupProjector` of
 * `@shopfloor/projector`). Only the decode and apply steps are the sensor stream's.
 */
export function createSensorProjector(options: SensorProjectorOptions): SensorProjector {
  const { writer, codecs, topics, log } = options;
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
    createApplyGroup: (io) =>
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
      }),
  });
}
