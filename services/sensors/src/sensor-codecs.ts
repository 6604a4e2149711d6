import { jsonRecordCodec, type RecordCodec } from '@shopfloor/kafka';
import {
  type AlertRecord,
  type AlertResolutionRecord,
  decodeAlertRecord,
  decodeAlertResolutionRecord,
  decodeProcessedReadingRecord,
  decodeRawReadingRecord,
  decodeSensorDeadLetterRecord,
  decodeSensorStateRecord,
  type ProcessedReadingRecord,
  type RawReadingRecord,
  type SensorDeadLetterRecord,
  type SensorStateRecord,
} from '@shopfloor/sensors';

/** The codec of every topic value of the sensor stream (the same `RecordCodec` as the events pipeline's). */
export interface SensorCodecs {
  raw: RecordCodec<RawReadingRecord>;
  state: RecordCodec<SensorStateRecord>;
  processed: RecordCodec<ProcessedReadingRecord>;
  alerts: RecordCodec<AlertRecord>;
  resolutions: RecordCodec<AlertResolutionRecord>;
  deadLetter: RecordCodec<SensorDeadLetterRecord>;
}

/** JSON codecs validated by the sensors decoders (an Avro implementation plugs in the same way). */
export function jsonSensorCodecs(): SensorCodecs {
  return {
    raw: jsonRecordCodec(decodeRawReadingRecord),
    state: jsonRecordCodec(decodeSensorStateRecord),
    processed: jsonRecordCodec(decodeProcessedReadingRecord),
    alerts: jsonRecordCodec(decodeAlertRecord),
    resolutions: jsonRecordCodec(decodeAlertResolutionRecord),
    deadLetter: jsonRecordCodec(decodeSensorDeadLetterRecord),
  };
}
