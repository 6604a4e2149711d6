import { SENSOR_BATCH_DECISIONS } from '@shopfloor/contracts';
import { z } from 'zod';
import { batchOutcomeFields, queryBatchOutcomeCounts } from './batch-outcome-table.ts';
import type { ClickHouseReader } from './client.ts';
import { type TableInsert, tableInserter } from './rows.ts';
import { toDateTime64 } from './time.ts';

export const SENSOR_BATCH_READINGS_TABLE = 'sensor_batch_readings';

/** The outcome of one reading (position `seq`) of a webhook job. */
export const sensorBatchReadingRowSchema = z.object({
  ...batchOutcomeFields,
  readingId: z.string().nullable(),
  decision: z.enum(SENSOR_BATCH_DECISIONS),
});
export type SensorBatchReadingRow = z.input<typeof sensorBatchReadingRowSchema>;

/** Inserts outcomes; (batch_id, seq) is the key, so a replayed outcome collapses to one row. */
export const insertSensorBatchReadings: TableInsert<SensorBatchReadingRow> = tableInserter({
  table: SENSOR_BATCH_READINGS_TABLE,
  columns: ['batch_id', 'seq', 'batch_size', 'reading_id', 'decision', 'reason', 'recorded_at'],
  schema: sensorBatchReadingRowSchema,
  toValues: (r) => [
    r.batchId,
    r.seq,
    r.batchSize,
    r.readingId,
    r.decision,
    r.reason,
    toDateTime64(r.recordedAt),
  ],
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
  const { batchSize, recorded, counts, rejections } = await queryBatchOutcomeCounts(
    reader,
    {
      name: SENSOR_BATCH_READINGS_TABLE,
      itemIdColumn: 'reading_id',
      decisions: SENSOR_BATCH_DECISIONS,
      reason: z.string(),
    },
    batchId,
  );
  return {
    batchId,
    batchSize,
    recorded,
    ...counts,
    rejections: rejections.map(([seq, readingId, reason]) => ({ seq, readingId, reason })),
  };
}
