import { z } from 'zod';
import type { ClickHouseReader, ClickHouseWriter } from './client.ts';
import { dedupSettings, parseResult, parseRows } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const SENSOR_BATCH_READINGS_TABLE = 'sensor_batch_readings';

export const SENSOR_BATCH_DECISIONS = ['accepted', 'deduped', 'rejected'] as const;

/** The outcome of one reading (position `seq`) of a webhook job. */
export const sensorBatchReadingRowSchema = z.object({
  batchId: z.string().min(1),
  seq: z.int().min(0).max(0xffff_ffff),
  batchSize: z.int().min(1).max(0xffff_ffff),
  readingId: z.string().nullable(),
  decision: z.enum(SENSOR_BATCH_DECISIONS),
  reason: z.string().default(''),
  recordedAt: epochMsSchema,
});
export type SensorBatchReadingRow = z.input<typeof sensorBatchReadingRowSchema>;

/** Inserts outcomes; (batch_id, seq) is the key, so a replayed outcome collapses to one row. */
export async function insertSensorBatchReadings(
  writer: ClickHouseWriter,
  rows: readonly SensorBatchReadingRow[],
  options: { dedupToken?: string } = {},
): Promise<void> {
  const valid = parseRows(sensorBatchReadingRowSchema, SENSOR_BATCH_READINGS_TABLE, rows);
  if (valid.length === 0) return;
  await writer.insert({
    table: SENSOR_BATCH_READINGS_TABLE,
    columns: ['batch_id', 'seq', 'batch_size', 'reading_id', 'decision', 'reason', 'recorded_at'],
    format: 'JSONCompactEachRow',
    values: valid.map((r) => [
      r.batchId,
      r.seq,
      r.batchSize,
      r.readingId,
      r.decision,
      r.reason,
      toDateTime64(r.recordedAt),
    ]),
    ...(options.dedupToken === undefined ? {} : { settings: dedupSettings(options.dedupToken) }),
  });
}

const recordedSchema = z.object({
  batchSize: int64Schema,
  recorded: int64Schema,
  accepted: int64Schema,
  deduped: int64Schema,
  rejected: int64Schema,
  rejections: z.array(z.tuple([z.coerce.number(), z.string().nullable(), z.string()])),
});

/** What is recorded about one webhook job. `batchSize` is null while nothing is recorded. */
export type RecordedSensorBatch = {
  batchId: string;
  batchSize: number | null;
  recorded: number;
  accepted: number;
  deduped: number;
  rejected: number;
  rejections: { seq: number; readingId: string | null; reason: string }[];
};

/** Counts per decision and the rejections (by seq) of one job, in one statement. */
export async function queryRecordedSensorBatch(
  reader: ClickHouseReader,
  batchId: string,
): Promise<RecordedSensorBatch> {
  const rows = await reader.query(
    `SELECT
       max(batch_size) AS batchSize,
       count() AS recorded,
       countIf(decision = 'accepted') AS accepted,
       countIf(decision = 'deduped') AS deduped,
       countIf(decision = 'rejected') AS rejected,
       arraySort(x -> x.1, groupArrayIf((seq, reading_id, toString(reason)), decision = 'rejected')) AS rejections
     FROM sensor_batch_readings FINAL
     WHERE batch_id = {batchId:String}`,
    { params: { batchId } },
  );
  const [row] = parseResult(recordedSchema, 'sensor batch outcome', rows);
  const recorded = row?.recorded ?? 0;
  return {
    batchId,
    batchSize: row && recorded > 0 ? row.batchSize : null,
    recorded,
    accepted: row?.accepted ?? 0,
    deduped: row?.deduped ?? 0,
    rejected: row?.rejected ?? 0,
    rejections: (row?.rejections ?? []).map(([seq, readingId, reason]) => ({ seq, readingId, reason })),
  };
}
