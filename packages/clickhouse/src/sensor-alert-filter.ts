import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import type { SensorAlertPageQuery } from './sensor-alert-queries.ts';
import { int64Schema } from './time.ts';

// The parts of the alert reads that the page and the open-alert counts share: which alerts are
// resolved, the earliest resolution of some, and the WHERE clause of a page's filters.

/** An alert is RESOLVED once any resolution of it is recorded (the earliest is the one shown). */
export const RESOLVED_ALERT_IDS = 'SELECT alert_id FROM sensor_alert_resolutions';

/**
 * The WHERE clause of a page's alerts: one term per filter given (none for an absent one, so the
 * engine never evaluates a `{p} = '' OR …` per row), the values as server-side parameters. The SQL
 * is built only from fixed fragments; no value of the query is ever spliced into it.
 */
export function sensorAlertPageFilter(q: Omit<SensorAlertPageQuery, 'limit'>): {
  where: string;
  params: Record<string, string | number>;
} {
  const terms: string[] = [];
  const params: Record<string, string | number> = {};
  if (q.equipmentId !== undefined) {
    terms.push('equipment_id = {equipmentId:String}');
    params.equipmentId = q.equipmentId;
  }
  if (q.severity !== undefined) {
    terms.push('severity = {severity:String}');
    params.severity = q.severity;
  }
  if (q.status !== undefined) {
    terms.push(`alert_id ${q.status === 'OPEN' ? 'NOT IN' : 'IN'} (${RESOLVED_ALERT_IDS})`);
  }
  if (q.fromMs !== undefined) {
    terms.push(`raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')`);
    params.fromMs = q.fromMs;
  }
  if (q.toMs !== undefined) {
    terms.push(`raised_at < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')`);
    params.toMs = q.toMs;
  }
  if (q.after !== undefined) {
    terms.push(
      `(raised_at < fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC')` +
        ` OR (raised_at = fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC') AND alert_id > {afterId:String}))`,
    );
    params.afterMs = q.after.raisedAtMs;
    params.afterId = q.after.alertId;
  }
  return { where: terms.length === 0 ? '' : `WHERE ${terms.join(' AND ')}`, params };
}

const firstResolutionSchema = z.object({
  alertId: z.string(),
  resolvedBy: z.string(),
  note: z.string().nullable(),
  resolvedAtMs: int64Schema,
});
export type FirstResolution = z.infer<typeof firstResolutionSchema>;

/**
 * The earliest resolution (ties by who resolved it) of each of `alertIds` that has one: a point
 * read on the resolutions' sort key, so it costs the ids asked for, not the whole table.
 */
export async function queryFirstResolutions(
  reader: ClickHouseReader,
  alertIds: readonly string[],
): Promise<Map<string, FirstResolution>> {
  const rows = await reader.query(
    // argMin over a tuple: with a Nullable argument alone, rows whose note is NULL would be skipped.
    `SELECT alert_id AS alertId, first.1 AS resolvedBy, first.2 AS note,
            toUnixTimestamp64Milli(first_at) AS resolvedAtMs
     FROM (
       SELECT alert_id, argMin((resolved_by, note), (resolved_at, resolved_by)) AS first,
              min(resolved_at) AS first_at
       FROM sensor_alert_resolutions WHERE alert_id IN {alertIds:Array(String)} GROUP BY alert_id
     )`,
    { params: { alertIds } },
  );
  const found = parseResult(firstResolutionSchema, 'first alert resolutions', rows);
  return new Map(found.map((r) => [r.alertId, r]));
}
