import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

// Production metrics from the minute rollups (sensor_minute_stats): never the raw readings. The
// window [fromMs, toMs) is taken in whole minutes (both ends floored), the rollups' grain.

const WINDOW = `minute >= toStartOfMinute(fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC'))
  AND minute < toStartOfMinute(fromUnixTimestamp64Milli({toMs:Int64}, 'UTC'))`;

const hourSchema = z.object({ hourMs: int64Schema, readings: int64Schema, anomalies: int64Schema });
export type SensorProductionHour = z.infer<typeof hourSchema>;

/** Readings and anomalies per hour of the window (hours without readings are absent). */
export async function querySensorProductionHours(
  reader: ClickHouseReader,
  q: { fromMs: number; toMs: number },
): Promise<SensorProductionHour[]> {
  const rows = await reader.query(
    `SELECT toUnixTimestamp(toStartOfHour(minute)) * 1000 AS hourMs,
            sum(readings_count) AS readings, sum(anomalies_count) AS anomalies
     FROM sensor_minute_stats
     WHERE ${WINDOW}
     GROUP BY hourMs
     ORDER BY hourMs`,
    { params: { fromMs: q.fromMs, toMs: q.toMs } },
  );
  return parseResult(hourSchema, 'sensor production hours', rows);
}

const equipmentSchema = z.object({
  equipmentId: z.string(),
  readings: int64Schema,
  anomalies: int64Schema,
  minutesWithReadings: int64Schema,
});
export type SensorProductionEquipment = z.infer<typeof equipmentSchema>;

/**
 * Per equipment that had read anything before `toMs` (registered: first reading timestamp before
 * the window's end): its readings, anomalies and the distinct minutes of the window with at least
 * one reading of any sensor. Silent equipment is listed with zeros, which is what a monitor needs.
 */
export async function querySensorProductionByEquipment(
  reader: ClickHouseReader,
  q: { fromMs: number; toMs: number },
): Promise<SensorProductionEquipment[]> {
  const rows = await reader.query(
    `SELECT e.equipment_id AS equipmentId,
            if(m.equipment_id = '', 0, m.readings) AS readings,
            if(m.equipment_id = '', 0, m.anomalies) AS anomalies,
            if(m.equipment_id = '', 0, m.minutes) AS minutesWithReadings
     FROM (
       SELECT toString(equipment_id) AS equipment_id FROM sensor_series
       GROUP BY equipment_id
       HAVING min(first_ts) < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')
     ) AS e
     LEFT JOIN (
       SELECT toString(equipment_id) AS equipment_id, sum(readings_count) AS readings,
              sum(anomalies_count) AS anomalies, uniqExact(minute) AS minutes
       FROM sensor_minute_stats
       WHERE ${WINDOW}
       GROUP BY equipment_id
     ) AS m ON m.equipment_id = e.equipment_id
     ORDER BY equipmentId`,
    { params: { fromMs: q.fromMs, toMs: q.toMs } },
  );
  return parseResult(equipmentSchema, 'sensor production by equipment', rows);
}
