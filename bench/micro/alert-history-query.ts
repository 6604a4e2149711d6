/**
 * The alert-history query alone (issue 12, lever 1): main's statement at `dcdcbc4` (FINAL of every
 * alert + a LEFT JOIN of every resolution + `{p} = '' OR` terms) against `querySensorAlertPage`
 * (a WHERE term per filter given, the page cut before the join, LIMIT 1 BY instead of FINAL), on
 * the embedded engine, interleaved round by round.
 *
 *   pnpm exec tsx bench/micro/alert-history-query.ts [alerts=50000] [resolutions=5000] [rounds=100]
 *
 * Each scenario runs both statements in turn, round by round (so the machine's load hits both), and
 * checks they answer the same alert ids.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  insertSensorAlertResolutions,
  insertSensorAlerts,
  migrate,
  openClickHouse,
  querySensorAlertPage,
  type SensorAlertPageQuery,
  type SensorAlertRow,
} from '@shopfloor/clickhouse';
import { percentile } from '../src/stats.ts';

const ALERTS = Number(process.argv[2] ?? 50_000);
const RESOLUTIONS = Number(process.argv[3] ?? 5_000);
const ROUNDS = Number(process.argv[4] ?? 100);
const TAIL = Math.min(ALERTS, 120);
const T0 = Date.UTC(2026, 2, 1);
const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;

const MAIN_SQL = `SELECT alert_id AS alertId, reading_key AS readingKey, reading_id AS readingId,
    toString(equipment_id) AS equipmentId, toString(sensor_type) AS sensorType,
    toString(severity) AS severity, value, toString(unit) AS unit, z_score AS zScore,
    mean, stddev, baseline_count AS baselineCount,
    toUnixTimestamp64Milli(reading_ts) AS readingMs, toUnixTimestamp64Milli(raised_at) AS raisedAtMs, status,
    if(resolved, resolved_by, NULL) AS resolvedBy, if(resolved, resolution_note, NULL) AS resolutionNote,
    if(resolved, toUnixTimestamp64Milli(resolved_at), NULL) AS resolvedAtMs
  FROM (
    SELECT a.*, r.alert_id != '' AS resolved, if(resolved, 'RESOLVED', 'OPEN') AS status,
           tupleElement(r.first_resolution, 1) AS resolved_by,
           tupleElement(r.first_resolution, 2) AS resolution_note, r.first_at AS resolved_at
    FROM sensor_alerts AS a FINAL
    LEFT JOIN (
      SELECT alert_id, argMin((resolved_by, note), (resolved_at, resolved_by)) AS first_resolution,
             min(resolved_at) AS first_at
      FROM sensor_alert_resolutions GROUP BY alert_id
    ) AS r ON r.alert_id = a.alert_id)
  WHERE ({equipmentId:String} = '' OR equipment_id = {equipmentId:String})
    AND ({severity:String} = '' OR severity = {severity:String})
    AND ({status:String} = '' OR status = {status:String})
    AND raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC')
    AND raised_at < fromUnixTimestamp64Milli({toMs:Int64}, 'UTC')
    AND ({afterId:String} = ''
         OR raised_at < fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC')
         OR (raised_at = fromUnixTimestamp64Milli({afterMs:Int64}, 'UTC') AND alert_id > {afterId:String}))
  ORDER BY raised_at DESC, alert_id ASC
  LIMIT {limit:UInt32}`;

function mainParams(q: SensorAlertPageQuery) {
  return {
    equipmentId: q.equipmentId ?? '',
    severity: q.severity ?? '',
    status: q.status ?? '',
    fromMs: q.fromMs ?? 0,
    toMs: q.toMs ?? 10_413_791_999_999,
    afterMs: q.after?.raisedAtMs ?? 0,
    afterId: q.after?.alertId ?? '',
    limit: q.limit,
  };
}

const alertId = (n: number) => `a-${n.toString(16).padStart(8, '0')}`;
function alertRow(n: number): SensorAlertRow {
  return {
    alertId: alertId(n),
    readingKey: `k-${n}`,
    readingId: null,
    equipmentId: `EQ-${n % 200}`,
    sensorType: 'vibration',
    severity: SEVERITIES[n % 3]!,
    value: 100,
    unit: 'mm/s',
    zScore: 6,
    mean: 1,
    stddev: 0.5,
    baselineCount: 100,
    timestampMs: T0 + n * 1000,
    receivedAt: T0 + n * 1000 + 5,
  };
}

/** The bench's poll (the last 120 s of alerts, a page of 501), the dashboard's, and filtered pages. */
const scenarios: [string, SensorAlertPageQuery][] = [
  ['bench poll: from, limit 501', { fromMs: T0 + (ALERTS - 120) * 1000, limit: 501 }],
  ['first page, limit 51', { limit: 51 }],
  ['open CRITICAL (/api/alerts/critical)', { severity: 'CRITICAL', status: 'OPEN', limit: 51 }],
  ['one equipment, open (equipment status)', { equipmentId: 'EQ-7', status: 'OPEN', limit: 21 }],
  [
    'resolved, second page',
    { status: 'RESOLVED', after: { raisedAtMs: T0 + ALERTS * 500, alertId: alertId(0) }, limit: 51 },
  ],
];

const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-alert-query-'));
const ch = await openClickHouse({ dataDir });
try {
  await migrate(ch.writer);
  // Bulk parts, then the newest TAIL alerts one insert each, as the alert lane writes them.
  for (let i = 0, n = 0; i < ALERTS; i += n) {
    n = i >= ALERTS - TAIL ? 1 : Math.min(10_000, ALERTS - TAIL - i);
    await insertSensorAlerts(
      ch.writer,
      Array.from({ length: n }, (_, k) => alertRow(i + k)),
      { dedupToken: `a:${i}` },
    );
  }
  const step = Math.max(1, Math.floor(ALERTS / Math.max(1, RESOLUTIONS)));
  const resolutions = Array.from({ length: RESOLUTIONS }, (_, n) => ({
    alertId: alertId(n * step),
    resolvedBy: 'op',
    note: null,
    resolvedAt: T0 + ALERTS * 1000 + n,
  }));
  if (resolutions.length > 0) await insertSensorAlertResolutions(ch.writer, resolutions, { dedupToken: 'r' });
  console.log(
    `${ALERTS} alerts, ${RESOLUTIONS} resolutions, ${ROUNDS} rounds, load ${loadavg()[0]!.toFixed(1)}`,
  );
  for (const [name, q] of scenarios) {
    const main: number[] = [];
    const page: number[] = [];
    let same = true;
    for (let r = 0; r < ROUNDS; r++) {
      let t = performance.now();
      const a = await ch.reader.query(MAIN_SQL, { params: mainParams(q) });
      main.push(performance.now() - t);
      t = performance.now();
      const b = await querySensorAlertPage(ch.reader, q);
      page.push(performance.now() - t);
      if (r === 0) same = JSON.stringify(a.map((x) => x.alertId)) === JSON.stringify(b.map((x) => x.alertId));
    }
    const f = (s: number[]) =>
      `p50 ${percentile(s, 0.5).toFixed(2)} / p95 ${percentile(s, 0.95).toFixed(2)} ms`;
    console.log(
      `${name.padEnd(40)} main ${f(main)}   new ${f(page)}   ratio p50 ${(percentile(page, 0.5) / percentile(main, 0.5)).toFixed(2)}x${same ? '' : '  ROWS DIFFER'}`,
    );
  }
  console.log(`load ${loadavg()[0]!.toFixed(1)}`);
} finally {
  await ch.close();
  await rm(dataDir, { recursive: true, force: true });
}
