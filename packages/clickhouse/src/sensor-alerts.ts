import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const SENSOR_ALERTS_TABLE = 'sensor_alerts';
export const SENSOR_ALERT_RESOLUTIONS_TABLE = 'sensor_alert_resolutions';

export const sensorAlertColumns = [
  'alert_id',
  'reading_key',
  'reading_id',
  'equipment_id',
  'sensor_type',
  'severity',
  'value',
  'unit',
  'z_score',
  'mean',
  'stddev',
  'baseline_count',
  'reading_ts',
  'raised_at',
] as const;

export const sensorAlertRowSchema = z.object({
  alertId: z.string().min(1),
  readingKey: z.string().min(1),
  readingId: z.string().nullable(),
  equipmentId: z.string().min(1),
  sensorType: z.string().min(1),
  severity: z.enum(['LOW', 'MEDIUM', 'CRITICAL']),
  value: z.number(),
  unit: z.string().min(1),
  zScore: z.number().nullable(),
  mean: z.number(),
  stddev: z.number(),
  baselineCount: z.int().min(0),
  timestampMs: epochMsSchema,
  receivedAt: epochMsSchema,
});
export type SensorAlertRow = z.infer<typeof sensorAlertRowSchema>;

export const sensorAlertResolutionRowSchema = z.object({
  alertId: z.string().min(1),
  resolvedBy: z.string().min(1),
  note: z.string().nullable(),
  resolvedAt: epochMsSchema,
});
export type SensorAlertResolutionRow = z.infer<typeof sensorAlertResolutionRowSchema>;

export const insertSensorAlerts: TableInsert<SensorAlertRow> = tableInserter({
  table: SENSOR_ALERTS_TABLE,
  columns: sensorAlertColumns,
  schema: sensorAlertRowSchema,
  toValues: (r) => [
    r.alertId,
    r.readingKey,
    r.readingId,
    r.equipmentId,
    r.sensorType,
    r.severity,
    r.value,
    r.unit,
    r.zScore,
    r.mean,
    r.stddev,
    r.baselineCount,
    toDateTime64(r.timestampMs),
    toDateTime64(r.receivedAt),
  ],
});

export const insertSensorAlertResolutions: TableInsert<SensorAlertResolutionRow> = tableInserter({
  table: SENSOR_ALERT_RESOLUTIONS_TABLE,
  columns: ['alert_id', 'resolved_by', 'note', 'resolved_at'],
  schema: sensorAlertResolutionRowSchema,
  toValues: (r) => [r.alertId, r.resolvedBy, r.note, toDateTime64(r.resolvedAt)],
});

const alertViewSchema = z.object({
  alertId: z.string(),
  equipmentId: z.string(),
  sensorType: z.string(),
  severity: z.enum(['LOW', 'MEDIUM', 'CRITICAL']),
  value: z.number(),
  zScore: z.number().nullable(),
  raisedAtMs: int64Schema,
  status: z.enum(['OPEN', 'RESOLVED']),
  resolvedBy: z.string().nullable(),
  resolvedAtMs: int64Schema.nullable(),
});
export type SensorAlertView = z.infer<typeof alertViewSchema>;

/**
 * Alerts with their resolution (the earliest one wins), newest first, optionally filtered by
 * equipment and status. One statement; the alert table is read FINAL (a replayed alert is one row).
 */
export async function querySensorAlerts(
  reader: ClickHouseReader,
  q: { equipmentId?: string; status?: 'OPEN' | 'RESOLVED'; limit: number },
): Promise<SensorAlertView[]> {
  const rows = await reader.query(
    `SELECT a.alert_id AS alertId, toString(a.equipment_id) AS equipmentId, toString(a.sensor_type) AS sensorType,
            toString(a.severity) AS severity, a.value AS value, a.z_score AS zScore,
            toUnixTimestamp64Milli(a.raised_at) AS raisedAtMs,
            if(r.alert_id = '', 'OPEN', 'RESOLVED') AS status,
            if(r.alert_id = '', NULL, r.first_by) AS resolvedBy,
            if(r.alert_id = '', NULL, toUnixTimestamp64Milli(r.first_at)) AS resolvedAtMs
     FROM sensor_alerts AS a FINAL
     LEFT JOIN (
       SELECT alert_id, argMin(resolved_by, resolved_at) AS first_by, min(resolved_at) AS first_at
       FROM sensor_alert_resolutions GROUP BY alert_id
     ) AS r ON r.alert_id = a.alert_id
     WHERE ({equipmentId:String} = '' OR a.equipment_id = {equipmentId:String})
       AND ({status:String} = '' OR status = {status:String})
     ORDER BY a.raised_at DESC, a.alert_id
     LIMIT {limit:UInt32}`,
    { params: { equipmentId: q.equipmentId ?? '', status: q.status ?? '', limit: q.limit } },
  );
  return parseResult(alertViewSchema, 'sensor alerts', rows);
}
