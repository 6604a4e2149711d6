import { z } from 'zod';
import { boolFlag, int, positiveDecimal } from './setting-types.ts';

/** The settings of the sensor-readings stream (the one schema is composed in schema.ts). */
export const sensorSettings = {
  SHOPFLOOR_SENSORS: boolFlag.default(true),
  ROLLING_WINDOW_SIZE: int(2, 100_000).default(100),
  ANOMALY_THRESHOLD_SIGMA: positiveDecimal.default(3),
  ANOMALY_MIN_WINDOW: int(2, 100_000).default(30),
  SHOPFLOOR_SENSOR_PARTITIONS: int(1, 1024).default(6),
  SHOPFLOOR_SENSOR_GROUP: z.string().min(1).default('shopfloor-sensors'),
  SHOPFLOOR_SENSOR_PROJECTOR_GROUP: z.string().min(1).default('shopfloor-sensor-projector'),
  SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP: z.string().min(1).optional(),
  SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS: int(1, 100_000_000).default(200_000),
  SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS: int(0, 100 * 365 * 86_400).default(0),
  SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS: int(0, 10_000).default(0),
};

export const sensorSettingDocs: Record<keyof typeof sensorSettings, string> = {
  SHOPFLOOR_SENSORS:
    'Standalone only: run the sensor-readings stream (webhook, anomaly processor, projector) in the process; 0 leaves it out (e.g. for an events-only benchmark).',
  ROLLING_WINDOW_SIZE:
    'Sensor readings: how many accepted normal readings of one (equipment, sensor) form the baseline of the z-score.',
  ANOMALY_THRESHOLD_SIGMA:
    'Sensor readings: an absolute z-score at or above this is an anomaly (an alert). Severity LOW below 4, MEDIUM below 5, CRITICAL from 5 sigma.',
  ANOMALY_MIN_WINDOW:
    'Sensor readings: no detection before the baseline holds this many readings (at most ROLLING_WINDOW_SIZE).',
  SHOPFLOOR_SENSOR_PARTITIONS:
    'Partitions of sensor.readings.raw, sensor.state, sensor.reading-identities, sensor.readings, sensor.reading-batches and sensor.alerts when they are created.',
  SHOPFLOOR_SENSOR_GROUP: 'Consumer group (and transactional id prefix) of the sensor anomaly processors.',
  SHOPFLOOR_SENSOR_PROJECTOR_GROUP:
    'Consumer group of the sensor projector (readings, resolutions and dead letters into ClickHouse).',
  SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP:
    "Consumer group of the sensor alert projector (sensor.alerts into ClickHouse in small immediate groups, so an alert never waits for the readings tables' bulk inserts). Unset: `<SHOPFLOOR_SENSOR_PROJECTOR_GROUP>-alerts`, so a system's two sensor projector groups share their prefix.",
  SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS:
    'Most readings the sensor webhook holds (waiting for Kafka to acknowledge them and, in sync mode, for their outcome); past it, 503 OVERLOADED (load shedding).',
  SHOPFLOOR_SENSOR_PROJECTOR_IDLE_WINDOW_MS:
    'How long the sensor readings projector gathers a group while no synchronous webhook request of the process waits for an outcome (fewer, larger inserts: more readings/s from async posts); a request that starts to wait closes the open window, and while any waits the window is 15 ms. 0 (or up to 15): always 15 ms. Off by default: the larger groups stall the event loop longer and the alert p99 did not improve (bench/README, "The readings projector\'s idle window").',
  SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS:
    "Drop a reading identity from the sensor processor's dedupe state (tombstoned in sensor.reading-identities, which is then compacted) once its timestamp is this much older than the newest receivedAt of its partition, plus the 15 min clock skew; the webhook rejects readings older than this as STALE_TIMESTAMP, so a dropped identity is never re-accepted. 0 keeps every identity.",
};
