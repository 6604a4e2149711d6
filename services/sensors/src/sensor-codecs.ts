import {
  loadSensorAvroSchema,
  SENSOR_AVRO_SCHEMA_FILES,
  type SensorAvroRecordKind,
} from '@shopfloor/contracts';
import { jsonRecordCodec, type RecordCodec } from '@shopfloor/kafka';
import { registryCodecsOf } from '@shopfloor/schema-registry';
import {
  type AlertRecord,
  type AlertResolutionRecord,
  decodeAlertRecord,
  decodeAlertResolutionRecord,
  decodeProcessedReadingBatchRecord,
  decodeProcessedReadingRecord,
  decodeRawReadingRecord,
  decodeSensorDeadLetterRecord,
  decodeSensorStateRecord,
  type ProcessedReadingBatchRecord,
  type ProcessedReadingRecord,
  type RawReadingRecord,
  type SensorDeadLetterRecord,
  type SensorStateRecord,
} from '@shopfloor/sensors';
import type { SensorTopics } from './sensor-topics.ts';

/** The codec of every topic value of the sensor stream (the same `RecordCodec` as the events pipeline's). */
export interface SensorCodecs {
  raw: RecordCodec<RawReadingRecord>;
  state: RecordCodec<SensorStateRecord>;
  /** sensor.reading-identities: the identity entries of the same state record. */
  identities: RecordCodec<SensorStateRecord>;
  processed: RecordCodec<ProcessedReadingRecord>;
  processedBatches: RecordCodec<ProcessedReadingBatchRecord>;
  alerts: RecordCodec<AlertRecord>;
  resolutions: RecordCodec<AlertResolutionRecord>;
  deadLetter: RecordCodec<SensorDeadLetterRecord>;
}

/**
 * The Avro codecs of the sensor stream through the schema registry, built like the events
 * pipeline's (`registryCodecsOf`): every checked-in `.avsc` registered as `<topic>-value` under
 * FULL_TRANSITIVE, every registered version cached, a refused or unreachable registry thrown before
 * anything is handed out. No JSON fallback: the sensor topics were never written in JSON outside
 * tests. The TypeScript records map to the Avro records one to one (no mapping).
 */
export async function registrySensorCodecs(options: {
  url: string;
  topics: SensorTopics;
  /** Schemas to register instead of the checked-in ones (tests of evolution). */
  schemas?: Partial<Record<SensorAvroRecordKind, object>>;
  log?: (line: string, fields?: Record<string, unknown>) => void;
}): Promise<SensorCodecs> {
  return registryCodecsOf<SensorCodecs>({
    url: options.url,
    files: SENSOR_AVRO_SCHEMA_FILES,
    load: loadSensorAvroSchema,
    topics: options.topics,
    schemas: options.schemas,
    log: options.log,
  });
}

/**
 * JSON codecs validated by the sensors decoders. Kept for the unit tests only, which have no
 * registry (the running system and the integration tests use `registrySensorCodecs`).
 */
export function jsonSensorCodecs(): SensorCodecs {
  return {
    raw: jsonRecordCodec(decodeRawReadingRecord),
    state: jsonRecordCodec(decodeSensorStateRecord),
    identities: jsonRecordCodec(decodeSensorStateRecord),
    processed: jsonRecordCodec(decodeProcessedReadingRecord),
    processedBatches: jsonRecordCodec(decodeProcessedReadingBatchRecord),
    alerts: jsonRecordCodec(decodeAlertRecord),
    resolutions: jsonRecordCodec(decodeAlertResolutionRecord),
    deadLetter: jsonRecordCodec(decodeSensorDeadLetterRecord),
  };
}
