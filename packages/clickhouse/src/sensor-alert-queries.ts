import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import {
  type FirstResolution,
  queryFirstResolutions,
  RESOLVED_ALERT_IDS,
  sensorAlertPageFilter,
} from './sensor-alert-filter.ts';
import { int64Schema } from './time.ts';

// Alert reads for the API: pages of alerts in a stable order, and the open alerts' severities per
// equipment (what the equipment status rule needs). An alert's resolution is the earliest of its
// resolutions (ties broken by who resolved it), so the answer does not depend on insert order.

const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;

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
type ResolutionField = 'status' | 'resolvedBy' | 'resolutionNote' | 'resolvedAtMs';

/** A row of the page's statement: the alert and whether any resolution of it is recorded. */
const pageRowSchema = alertPageRowSchema
  .omit({ status: true, resolvedBy: true, resolutionNote: true, resolvedAtMs: true })
  .extend({ resolved: z.union([z.boolean(), z.number()]).transform((v) => v === true || v === 1) });

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
 *
 * Cheap on purpose (every dashboard poll pays it, and in the embedded engine every statement waits
 * for the one in flight): only the filters given become WHERE terms (`sensorAlertPageFilter`), the
 * page says only whether each alert is resolved (a set of the resolved ids, no join), and the
 * resolutions themselves are read in a second statement by the page's resolved ids, only when it
 * has some. FINAL stays (a replayed alert is one row): with the page's ORDER BY … LIMIT it measured
 * cheaper than `LIMIT 1 BY alert_id`, which forbids the top-N sort (bench/micro/alert-history-query.ts).
 */
export async function querySensorAlertPage(
  reader: ClickHouseReader,
  q: SensorAlertPageQuery,
): Promise<SensorAlertPageRow[]> {
  const filter = sensorAlertPageFilter(q);
  const rows = await reader.query(
    `SELECT alert_id AS alertId, reading_key AS readingKey, reading_id AS readingId,
            toString(equipment_id) AS equipmentId, toString(sensor_type) AS sensorType,
            toString(severity) AS severity, value, toString(unit) AS unit, z_score AS zScore,
            mean, stddev, baseline_count AS baselineCount,
            toUnixTimestamp64Milli(reading_ts) AS readingMs,
            toUnixTimestamp64Milli(raised_at) AS raisedAtMs,
            alert_id IN (${RESOLVED_ALERT_IDS}) AS resolved
     FROM sensor_alerts FINAL
     ${filter.where}
     ORDER BY raised_at DESC, alert_id ASC
     LIMIT {limit:UInt32}`,
    { params: { ...filter.params, limit: q.limit } },
  );
  const page = parseResult(pageRowSchema, 'sensor alert page', rows);
  const resolvedIds = page.filter((r) => r.resolved).map((r) => r.alertId);
  const resolutions = resolvedIds.length === 0 ? new Map() : await queryFirstResolutions(reader, resolvedIds);
  return page.map(({ resolved: _, ...alert }) => withResolution(alert, resolutions.get(alert.alertId)));
}

function withResolution(alert: Omit<SensorAlertPageRow, ResolutionField>, r: FirstResolution | undefined) {
  return r === undefined
    ? { ...alert, status: 'OPEN' as const, resolvedBy: null, resolutionNote: null, resolvedAtMs: null }
    : {
        ...alert,
        status: 'RESOLVED' as const,
        resolvedBy: r.resolvedBy,
        resolutionNote: r.note,
        resolvedAtMs: r.resolvedAtMs,
      };
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
  // Distinct ids rather than FINAL: a replayed alert's rows are identical, so it counts once.
  const byEquipment = q.equipmentId === undefined ? '' : 'AND equipment_id = {equipmentId:String}';
  const rows = await reader.query(
    `SELECT toString(equipment_id) AS equipmentId, toString(severity) AS severity,
            uniqExact(alert_id) AS openCount
     FROM sensor_alerts
     WHERE alert_id NOT IN (${RESOLVED_ALERT_IDS}) ${byEquipment}
     GROUP BY equipment_id, severity
     ORDER BY equipmentId, severity`,
    q.equipmentId === undefined ? {} : { params: { equipmentId: q.equipmentId } },
  );
  return parseResult(openSeveritySchema, 'open alert severities', rows);
}
