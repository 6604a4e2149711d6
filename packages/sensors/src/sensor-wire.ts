import type { DecodeResult } from '@shopfloor/contracts';
import { idSchema, parseEventTime } from '@shopfloor/contracts';
import { z } from 'zod';
import type { AlertRecord, AlertResolutionRecord } from './alert.ts';
import { SEVERITIES } from './anomaly-detector.ts';
import { SENSOR_TYPES, type SensorReading } from './reading.ts';
import type { SensorStateRecord } from './sensor-processor.ts';

/**
 * One accepted reading as the gateway appended it to `sensor.readings.raw` (keyed by equipmentId):
 * the reading, its place in the HTTP batch, and the gateway's clock. Plain records throughout, so
 * each maps to an Avro record one to one.
 */
export type RawReadingRecord = {
  v: number;
  batchId: string;
  seq: number;
  batchSize: number;
  receivedAt: number;
  reading: SensorReading;
};

const finite = z.number().refine(Number.isFinite, 'must be finite');
const sensorType = z.enum(SENSOR_TYPES);

export const sensorReadingSchema = z
  .object({
    readingId: idSchema.nullable(),
    equipmentId: idSchema,
    sensorType,
    value: finite,
    unit: z.string().min(1),
    timestamp: z.string(),
    timestampMs: z.int(),
  })
  .refine((r) => parseEventTime(r.timestamp) === r.timestampMs, 'timestampMs does not match timestamp');

export const rawReadingRecordSchema = z.object({
  v: z.literal(1),
  batchId: z.string().min(1),
  seq: z.int().min(0),
  batchSize: z.int().min(1),
  receivedAt: z.int(),
  reading: sensorReadingSchema,
});

const windowSums = {
  shift: finite,
  sum: finite,
  sumCompensation: finite,
  sumSquares: finite,
  sumSquaresCompensation: finite,
  evictions: z.int().min(0),
};

const windowSnapshotSchema = z.object({ values: z.array(finite), ...windowSums });

const windowSlotsSchema = z.object({
  first: z.int().min(0),
  values: z.array(finite),
  capacity: z.int().min(1),
  head: z.int().min(0),
  size: z.int().min(0),
  pushes: z.int().min(0),
  ...windowSums,
});

export const sensorStateRecordSchema = z.object({
  v: z.literal(1),
  window: windowSnapshotSchema.nullable(),
  slots: windowSlotsSchema.nullable().optional(),
  readingTs: z.int().nullable().optional(),
  identities: z
    .array(z.object({ key: z.string().min(1), readingTs: z.int() }))
    .nullable()
    .optional(),
});

export const alertRecordSchema = z.object({
  v: z.literal(1),
  alertId: z.string().regex(/^[0-9a-f]{32}$/),
  readingKey: z.string().min(1),
  readingId: idSchema.nullable(),
  equipmentId: idSchema,
  sensorType,
  value: finite,
  unit: z.string().min(1),
  timestamp: z.string(),
  timestampMs: z.int(),
  receivedAt: z.int(),
  severity: z.enum(SEVERITIES),
  zScore: finite.nullable(),
  mean: finite,
  stddev: finite,
  baselineCount: z.int().min(1),
  thresholdSigma: finite,
});

export const alertResolutionRecordSchema = z.object({
  v: z.literal(1),
  alertId: z.string().regex(/^[0-9a-f]{32}$/),
  resolvedBy: z.string().min(1),
  note: z.string().nullable(),
  resolvedAt: z.int(),
});

function decoder<T>(schema: z.ZodType<T>): (input: unknown) => DecodeResult<T> {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
  };
}

export const decodeRawReadingRecord = decoder<RawReadingRecord>(rawReadingRecordSchema);
export const decodeSensorStateRecord = decoder<SensorStateRecord>(sensorStateRecordSchema);
export const decodeAlertRecord = decoder<AlertRecord>(alertRecordSchema);
export const decodeAlertResolutionRecord = decoder<AlertResolutionRecord>(alertResolutionRecordSchema);

/**
 * A reading that did not make it (value of `sensor.dlq`): rejected by validation at the gateway,
 * or a raw record the processor could not decode (reason `UNDECODABLE_RECORD`). `payloadJson` is
 * the element's JSON text as received (or the undecodable bytes as UTF-8 text).
 */
export type SensorDeadLetterRecord = {
  v: number;
  batchId: string | null;
  /** The element's index in its request and the request's size (null for an undecodable record). */
  seq: number | null;
  batchSize: number | null;
  receivedAt: number;
  readingId: string | null;
  reason: string;
  message: string;
  payloadJson: string;
};

export const sensorDeadLetterRecordSchema = z.object({
  v: z.literal(1),
  batchId: z.string().nullable(),
  seq: z.int().min(0).nullable(),
  batchSize: z.int().min(1).nullable(),
  receivedAt: z.int(),
  readingId: z.string().nullable(),
  reason: z.string().min(1),
  message: z.string(),
  payloadJson: z.string(),
});

export const decodeSensorDeadLetterRecord = decoder<SensorDeadLetterRecord>(sensorDeadLetterRecordSchema);

/** What the processor made of one raw reading: `duplicate` when its identity was seen before. */
export const PROCESSED_ASSESSMENTS = ['warming-up', 'normal', 'anomaly', 'duplicate'] as const;
export type ProcessedAssessment = (typeof PROCESSED_ASSESSMENTS)[number];

/**
 * What the processor decided about one raw reading (value of `sensor.readings`, keyed by
 * equipmentId, written in the processor's transaction): the first sight of an identity with its
 * assessment, or a `duplicate` (a retry, a re-sent batch), which entered no window, raised no alert
 * and is never projected into the readings table or its rollups: it only completes its batch's
 * outcome (`seq` of `batchSize`), as a deduped change record does for events.
 */
export type ProcessedReadingRecord = {
  v: number;
  readingKey: string;
  batchId: string;
  seq: number;
  batchSize: number;
  receivedAt: number;
  reading: SensorReading;
  assessment: ProcessedAssessment;
  zScore: number | null;
  alertId: string | null;
};

export const processedReadingRecordSchema = z.object({
  v: z.literal(1),
  readingKey: z.string().min(1),
  batchId: z.string().min(1),
  seq: z.int().min(0),
  batchSize: z.int().min(1),
  receivedAt: z.int(),
  reading: sensorReadingSchema,
  assessment: z.enum(PROCESSED_ASSESSMENTS),
  zScore: finite.nullable(),
  alertId: z.string().nullable(),
});

export const decodeProcessedReadingRecord = decoder<ProcessedReadingRecord>(processedReadingRecordSchema);

/**
 * The decisions of one partition batch of the processor's transaction, in raw offset order (value
 * of `sensor.reading-batches`, no key, the input's partition): one record per batch instead of one
 * per reading, so kafkajs and the broker handle one record where they handled ~90 at the alert
 * rate. The readings projector expands it. `sensor.readings` held one `ProcessedReadingRecord` per
 * message before; the projector still reads it (a rebuild replays it).
 */
export type ProcessedReadingBatchRecord = { v: number; readings: ProcessedReadingRecord[] };

export const processedReadingBatchRecordSchema = z.object({
  v: z.literal(1),
  readings: z.array(processedReadingRecordSchema),
});

export const decodeProcessedReadingBatchRecord = decoder<ProcessedReadingBatchRecord>(
  processedReadingBatchRecordSchema,
);
