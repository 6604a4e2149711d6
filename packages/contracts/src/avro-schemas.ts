import { readFileSync } from 'node:fs';

/**
 * The checked-in Avro schema of every topic value (`../avro/*.avsc`): the one source of the records'
 * shape on the wire. The TypeScript record types in `wire-*.ts` are checked against them by a test
 * (packages/schema-registry), and the registry enforces their evolution.
 */
export const AVRO_SCHEMA_FILES = {
  raw: 'raw-event-record.avsc',
  deadLetter: 'dead-letter-record.avsc',
  state: 'state-record.avsc',
  changes: 'change-batch-record.avsc',
  outcomes: 'outcome-record.avsc',
  invalid: 'invalid-record.avsc',
  keys: 'key-change-record.avsc',
} as const;

export type AvroRecordKind = keyof typeof AVRO_SCHEMA_FILES;

/** The path of a checked-in `.avsc` file. */
export function avroSchemaPath(kind: AvroRecordKind): string {
  return new URL(`../avro/${AVRO_SCHEMA_FILES[kind]}`, import.meta.url).pathname;
}

/** The parsed JSON of a checked-in `.avsc` file of `../avro` (read on each call: this is start-up work). */
function readAvroFile(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../avro/${file}`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** The parsed JSON of an events pipeline's checked-in `.avsc` file. */
export function loadAvroSchema(kind: AvroRecordKind): Record<string, unknown> {
  return readAvroFile(AVRO_SCHEMA_FILES[kind]);
}

/** The checked-in Avro schema of every topic value of the sensor-readings stream (issue 12). */
export const SENSOR_AVRO_SCHEMA_FILES = {
  raw: 'sensor-raw-reading-record.avsc',
  state: 'sensor-state-record.avsc',
  processed: 'sensor-processed-reading-record.avsc',
  alerts: 'sensor-alert-record.avsc',
  resolutions: 'sensor-alert-resolution-record.avsc',
  deadLetter: 'sensor-dead-letter-record.avsc',
} as const;

export type SensorAvroRecordKind = keyof typeof SENSOR_AVRO_SCHEMA_FILES;

/** The parsed JSON of a sensor stream's checked-in `.avsc` file. */
export function loadSensorAvroSchema(kind: SensorAvroRecordKind): Record<string, unknown> {
  return readAvroFile(SENSOR_AVRO_SCHEMA_FILES[kind]);
}

/** The checked-in Avro schema of every topic value of the metric-events stream. */
export const METRIC_AVRO_SCHEMA_FILES = {
  raw: 'metric-raw-event-record.avsc',
  state: 'metric-state-record.avsc',
  processed: 'metric-processed-event-record.avsc',
  failed: 'metric-failed-event-record.avsc',
} as const;

export type MetricAvroRecordKind = keyof typeof METRIC_AVRO_SCHEMA_FILES;

/** The parsed JSON of a metric-events stream's checked-in `.avsc` file. */
export function loadMetricAvroSchema(kind: MetricAvroRecordKind): Record<string, unknown> {
  return readAvroFile(METRIC_AVRO_SCHEMA_FILES[kind]);
}
