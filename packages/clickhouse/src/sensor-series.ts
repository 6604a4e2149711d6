import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

// The per-(equipment, sensor) series of migration 0030: equipment is registered by its first
// reading, and its latest reading per sensor is kept there, so these never scan the raw readings.

const seriesSchema = z.object({
  equipmentId: z.string(),
  sensorType: z.string(),
  firstReceivedMs: int64Schema,
  lastReceivedMs: int64Schema,
  firstReadingMs: int64Schema,
  lastReadingMs: int64Schema,
  readingsCount: int64Schema,
  /** The latest reading of the series (the one at lastReadingMs, ties broken by reading key). */
  value: z.number(),
  unit: z.string(),
  assessment: z.enum(['warming-up', 'normal', 'anomaly']),
  zScore: z.number().nullable(),
});
export type SensorSeriesRow = z.infer<typeof seriesSchema>;

/**
 * Every sensor series, or those of one piece of equipment, ordered by equipment and sensor type.
 * An unknown equipment id answers no rows (it has never sent a reading).
 */
export async function querySensorSeries(
  reader: ClickHouseReader,
  q: { equipmentId?: string } = {},
): Promise<SensorSeriesRow[]> {
  const rows = await reader.query(
    `SELECT toString(equipment_id) AS equipmentId, toString(sensor_type) AS sensorType,
            toUnixTimestamp64Milli(min(first_received)) AS firstReceivedMs,
            toUnixTimestamp64Milli(max(last_received)) AS lastReceivedMs,
            toUnixTimestamp64Milli(min(first_ts)) AS firstReadingMs,
            toUnixTimestamp64Milli(max(last_ts)) AS lastReadingMs,
            sum(readings_count) AS readingsCount,
            argMaxMerge(latest) AS latestReading,
            tupleElement(latestReading, 1) AS value,
            tupleElement(latestReading, 2) AS unit,
            tupleElement(latestReading, 3) AS assessment,
            tupleElement(latestReading, 4) AS zScore
     FROM sensor_series
     WHERE {equipmentId:String} = '' OR equipment_id = {equipmentId:String}
     GROUP BY equipment_id, sensor_type
     ORDER BY equipmentId, sensorType`,
    { params: { equipmentId: q.equipmentId ?? '' } },
  );
  return parseResult(seriesSchema, 'sensor series', rows);
}

const typeTotalsSchema = z.object({
  sensorType: z.string(),
  equipmentCount: int64Schema,
  readingsCount: int64Schema,
});
export type SensorTypeTotals = z.infer<typeof typeTotalsSchema>;

/** Per sensor type seen: how many pieces of equipment carry it and how many readings it has. */
export async function querySensorTypeTotals(reader: ClickHouseReader): Promise<SensorTypeTotals[]> {
  const rows = await reader.query(
    `SELECT toString(sensor_type) AS sensorType, uniqExact(equipment_id) AS equipmentCount,
            sum(readings_count) AS readingsCount
     FROM sensor_series
     GROUP BY sensor_type
     ORDER BY sensorType`,
  );
  return parseResult(typeTotalsSchema, 'sensor type totals', rows);
}
