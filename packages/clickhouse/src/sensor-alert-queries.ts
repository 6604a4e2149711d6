import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

// Alert reads for the API: pages of alerts in a stable order, and the open alerts' severities per
// equipment (what the equipment status rule needs). An alert's resolution is the earliest of its
// resolutions (ties broken by who resolved it), so the answer does not depend on insert order.

const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;

/** Alerts (one row per id: FINAL) with their first resolution; `status` is OPEN or RESOLVED. */
const ALERTS_WITH_RESOLUTION = `
  SELECT a.*, r.alert_id != '' AS resolved,
         if(resolved, 'RESOLVED', 'OPEN') AS status,
         tupleElement(r.first_resolution, 1) AS resolved_by,
         tupleElement(r.first_resolution, 2) AS resolution_note, r.first_at AS resolved_at
  FROM sensor_alerts AS a FINAL
  LEFT JOIN (
    SELECT alert_id, argMin((resolved_by, note), (resolved_at, resolved_by)) AS first_resolution,
           min(resolved_at) AS first_at
    FROM sensor_alert_resolutions GROUP BY alert_id
  ) AS r ON r.alert_id = a.alert_id`;

/** Far past / far future bounds of DateTime64(3) for an open-ended window. */
export const ALERT_TIME_MIN_MS = 0;
export const ALERT_TIME_MAX_MS = 10_413_791_999_999;

const alertPageRowSchema = z.object({
  alertId: z.string(),
  readingKey: z.string(),
  readingId: z.string().nullable(),
  equipmentId: z.string(),
  sensorType: z.string(),
  severity: z.enum(SEVERITIES),
  value: z.number(),
  unit: z.string(),
  zScore: z.number().nullable(),
  mean: z.number(),
  stddev: z.number(),
  baselineCount: int64Schema,
  readingMs: int64Schema,
  raisedAtMs: int64Schema,
  status: z.enum(['OPEN', 'RESOLVED']),
  resolvedBy: z.string().nullable(),
  resolutionNote: z.string().nullable(),
  resolvedAtMs: int64Schema.nullable(),
});
export type SensorAlertPageRow = z.infer<typeof alertPageRowSchema>;

/** Where the previous page ended: its last alert's raisedAt and id. */
export type SensorAlertPosition = { raisedAtMs: number; alertId: string };

export type SensorAlertPageQuery = {
  equipmentId?: string | undefined;
  severity?: (typeof SEVERITIES)[number] | undefined;
  status?: 'OPEN' | 'RESOLVED' | undefined;
  /** raisedAt window [fromMs, toMs); open-ended when absent. */
  fromMs?: number | undefined;
  toMs?: number | undefined;
  /** Only alerts after this position in the order (keyset pagination). */
  after?: SensorAlertPosition | undefined;
  limit: number;
};

/**
 * Up to `limit` alerts, newest raisedAt first, ties by alertId ascending: a total order on values
 * that never change, so the position of the last row of a page is a cursor that an insert cannot
 * shift (newer alerts land before it, none between two rows already answered).
 */
export async function querySensorAlertPage(
  reader: ClickHouseReader,
  q: SensorAlertPageQuery,
): Promise<SensorAlertPageRow[]> {
  const rows = await reader.query(
    `SELECT alert_id AS alertId, reading_key AS readingKey, reading_id AS readingId,
            toString(equipment_id) AS equipmentId, toString(sensor_type) AS sensorType,
            toString(severity) AS severity, value, toString(unit) AS unit, z_score AS zScore,
            mean, stddev, baseline_count AS baselineCount,
            toUnixTimestamp64Milli(reading_ts) AS readingMs,
            toUnixTimestamp64Milli(raised_at) AS raisedAtMs, status,
            if(resolved, resolved_by, NULL) AS resolvedBy,
            if(resolved, resolution_note, NULL) AS resolutionNote,
            if(resolved, toUnixTimestamp64Milli(resolved_at), NULL) AS resolvedAtMs
     FROM (${ALERTS_WITH_RESOLUTION})
     WHERE ({equipmentId:String} = '' OR equipment_id = {equipmentId:String})
       AND ({severity:String} = '' OR severity = {severity:String})
       AND ({status:String} = '' OR status = {status:String})
       AND raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')
       AND raised_at < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')
       AND ({afterId:String} = ''
            OR raised_at < fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC')
            OR (raised_at = fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC') AND alert_id > {afterId:String}))
     ORDER BY raised_at DESC, alert_id ASC
     LIMIT {limit:UInt32}`,
    {
      params: {
        equipmentId: q.equipmentId ?? '',
        severity: q.severity ?? '',
        status: q.status ?? '',
        fromMs: q.fromMs ?? ALERT_TIME_MIN_MS,
        toMs: q.toMs ?? ALERT_TIME_MAX_MS,
        afterMs: q.after?.raisedAtMs ?? 0,
        afterId: q.after?.alertId ?? '',
        limit: q.limit,
      },
    },
  );
  return parseResult(alertPageRowSchema, 'sensor alert page', rows);
}

const openSeveritySchema = z.object({
  equipmentId: z.string(),
  severity: z.enum(SEVERITIES),
  openCount: int64Schema,
});
export type OpenAlertSeverityRow = z.infer<typeof openSeveritySchema>;

/** Open alerts counted per equipment and severity (all of them, or one equipment's). */
export async function queryOpenAlertSeverities(
  reader: ClickHouseReader,
  q: { equipmentId?: string } = {},
): Promise<OpenAlertSeverityRow[]> {
  const rows = await reader.query(
    `SELECT toString(equipment_id) AS equipmentId, toString(severity) AS severity, count() AS openCount
     FROM (${ALERTS_WITH_RESOLUTION})
     WHERE status = 'OPEN' AND ({equipmentId:String} = '' OR equipment_id = {equipmentId:String})
     GROUP BY equipment_id, severity
     ORDER BY equipmentId, severity`,
    { params: { equipmentId: q.equipmentId ?? '' } },
  );
  return parseResult(openSeveritySchema, 'open alert severities', rows);
}
