import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

const lookupSchema = z.object({
  found: int64Schema,
  resolvedBy: z.string().nullable(),
  note: z.string().nullable(),
  resolvedAtMs: int64Schema.nullable(),
});

/** One alert's existence and its first resolution (the earliest wins, as in `querySensorAlerts`). */
export type SensorAlertResolutionLookup =
  | { found: false }
  | {
      found: true;
      resolution: { resolvedBy: string; note: string | null; resolvedAtMs: number } | null;
    };

/** Whether `alertId` is in sensor_alerts, and its earliest resolution if any (one point query). */
export async function querySensorAlertResolution(
  reader: ClickHouseReader,
  alertId: string,
): Promise<SensorAlertResolutionLookup> {
  const rows = await reader.query(
    // argMin over a tuple: with a Nullable argument alone, rows whose note is NULL would be skipped.
    `SELECT
       (SELECT count() FROM sensor_alerts WHERE alert_id = {alertId:String}) AS found,
       if(r.n = 0, NULL, r.first.1) AS resolvedBy,
       if(r.n = 0, NULL, r.first.2) AS note,
       if(r.n = 0, NULL, toUnixTimestamp64Milli(r.first_at)) AS resolvedAtMs
     FROM (
       SELECT count() AS n, argMin((resolved_by, note), resolved_at) AS first, min(resolved_at) AS first_at
       FROM sensor_alert_resolutions WHERE alert_id = {alertId:String}
     ) AS r`,
    { params: { alertId } },
  );
  const [row] = parseResult(lookupSchema, 'sensor alert resolution', rows);
  if (!row || row.found === 0) return { found: false };
  if (row.resolvedAtMs === null || row.resolvedBy === null) return { found: true, resolution: null };
  return {
    found: true,
    resolution: { resolvedBy: row.resolvedBy, note: row.note, resolvedAtMs: row.resolvedAtMs },
  };
}
