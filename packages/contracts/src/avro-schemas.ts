import { readFileSync } from 'node:fs';

/**
 * The checked-in Avro schema of every topic value (`../avro/*.avsc`), per stream: the one source of
 * the records' shape on the wire. The TypeScript record types (`wire-*.ts`, and the sensor and
 * metric-events packages' records) are checked against them by tests, and the registry enforces
 * their evolution.
 */
const STREAM_AVRO_SCHEMA_FILES = {
  events: {
    raw: 'raw-event-record.avsc',
    deadLetter: 'dead-letter-record.avsc',
    state: 'state-record.avsc',
    changes: 'change-batch-record.avsc',
    outcomes: 'outcome-record.avsc',
    invalid: 'invalid-record.avsc',
    keys: 'key-change-record.avsc',
  },
  sensor: {
    raw: 'sensor-raw-reading-record.avsc',
    state: 'sensor-state-record.avsc',
    // The same record as sensor.state's (the identities were its entries), under its own subject.
    identities: 'sensor-state-record.avsc',
    processed: 'sensor-processed-reading-record.avsc',
    processedBatches: 'sensor-processed-reading-batch-record.avsc',
    alerts: 'sensor-alert-record.avsc',
    resolutions: 'sensor-alert-resolution-record.avsc',
    deadLetter: 'sensor-dead-letter-record.avsc',
  },
  metricEvents: {
    raw: 'metric-raw-event-record.avsc',
    state: 'metric-state-record.avsc',
    processed: 'metric-processed-event-record.avsc',
    failed: 'metric-failed-event-record.avsc',
  },
} as const;
type Streams = typeof STREAM_AVRO_SCHEMA_FILES;

/** The path of a checked-in `.avsc` file. */
const pathOf = (file: string) => new URL(`../avro/${file}`, import.meta.url).pathname;

/** A stream's reader of its checked-in `.avsc` files (read on each call: this is start-up work). */
const loaderOf =
  <S extends keyof Streams>(stream: S) =>
  (kind: keyof Streams[S]): Record<string, unknown> =>
    JSON.parse(readFileSync(pathOf(STREAM_AVRO_SCHEMA_FILES[stream][kind] as string), 'utf8')) as Record<
      string,
      unknown
    >;

/** The events pipeline's topic values. */
export const AVRO_SCHEMA_FILES = STREAM_AVRO_SCHEMA_FILES.events;
export type AvroRecordKind = keyof typeof AVRO_SCHEMA_FILES;
export const avroSchemaPath = (kind: AvroRecordKind): string => pathOf(AVRO_SCHEMA_FILES[kind]);
export const loadAvroSchema = loaderOf('events');

/** The sensor-readings stream's topic values (issue 12). */
export const SENSOR_AVRO_SCHEMA_FILES = STREAM_AVRO_SCHEMA_FILES.sensor;
export type SensorAvroRecordKind = keyof typeof SENSOR_AVRO_SCHEMA_FILES;
export const loadSensorAvroSchema = loaderOf('sensor');

/** The metric-events stream's topic values. */
export const METRIC_AVRO_SCHEMA_FILES = STREAM_AVRO_SCHEMA_FILES.metricEvents;
export type MetricAvroRecordKind = keyof typeof METRIC_AVRO_SCHEMA_FILES;
export const loadMetricAvroSchema = loaderOf('metricEvents');
