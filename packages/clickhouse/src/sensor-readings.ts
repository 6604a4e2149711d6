import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const SENSOR_READINGS_TABLE = 'sensor_readings';

export const sensorReadingColumns = [
  'reading_key',
  'reading_id',
  'equipment_id',
  'sensor_type',
  'value',
  'unit',
  'ts',
  'received_at',
  'assessment',
  'z_score',
  'alert_id',
] as const;

/** One processed reading (duplicates never reach the table: the processor dropped them). */
export const sensorReadingRowSchema = z.object({
  readingKey: z.string().min(1),
  readingId: z.string().nullable(),
  equipmentId: z.string().min(1),
  sensorType: z.string().min(1),
  value: z.number().refine(Number.isFinite),
  unit: z.string().min(1),
  timestampMs: epochMsSchema,
  receivedAt: epochMsSchema,
  assessment: z.enum(['warming-up', 'normal', 'anomaly']),
  zScore: z.number().nullable(),
  alertId: z.string().nullable(),
});
export type SensorReadingRow = z.infer<typeof sensorReadingRowSchema>;

/** Inserts processed readings; the same `dedupToken` (an offset range) makes a replay a no-op, rollup included. */
export const insertSensorReadings: TableInsert<SensorReadingRow> = tableInserter({
  table: SENSOR_READINGS_TABLE,
  columns: sensorReadingColumns,
  schema: sensorReadingRowSchema,
  toValues: (r) => [
    r.readingKey,
    r.readingId,
    r.equipmentId,
    r.sensorType,
    r.value,
    r.unit,
    toDateTime64(r.timestampMs),
    toDateTime64(r.receivedAt),
    r.assessment,
    r.zScore,
    r.alertId,
  ],
});

const bucketSchema = z.object({
  bucket: z.coerce.string(),
  count: int64Schema,
  min: z.number(),
  avg: z.number(),
  max: z.number(),
  anomalies: int64Schema,
});
export type SensorHistoryBucket = z.infer<typeof bucketSchema>;

/**
 * min / avg / max / count per bucket of `bucketMinutes` whole minutes over [fromMs, toMs), from the
 * minute rollups (never the raw rows); `from`/`to` are floored to whole minutes.
 */
export async function querySensorHistory(
  reader: ClickHouseReader,
  q: { equipmentId: string; sensorType: string; fromMs: number; toMs: number; bucketMinutes: number },
): Promise<SensorHistoryBucket[]> {
  const rows = await reader.query(
    `SELECT
       formatDateTime(toStartOfInterval(minute, toIntervalMinute({bucket:UInt32})), '%Y-%m-%dT%H:%i:%SZ', 'UTC') AS bucket,
       sum(readings_count) AS count,
       min(value_min) AS min,
       sum(value_sum) / sum(readings_count) AS avg,
       max(value_max) AS max,
       sum(anomalies_count) AS anomalies
     FROM sensor_minute_stats
     WHERE equipment_id = {equipmentId:String} AND sensor_type = {sensorType:String}
       AND minute >= toStartOfMinute(fromUnixTimestamp64Milli({from:Int64}, 'UTC'))
       AND minute < toStartOfMinute(fromUnixTimestamp64Milli({to:Int64}, 'UTC'))
     GROUP BY bucket
     ORDER BY bucket`,
    {
      params: {
        equipmentId: q.equipmentId,
        sensorType: q.sensorType,
        from: q.fromMs,
        to: q.toMs,
        bucket: q.bucketMinutes,
      },
    },
  );
  return parseResult(bucketSchema, 'sensor history', rows);
}
