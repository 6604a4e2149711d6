import { insertSensorAlerts, insertSensorAlertResolutions, openClickHouse, querySensorAlertPage } from './src/index.ts';
const dir = '/tmp/at/qbench/data';
const h = await openClickHouse({ dataDir: dir });
const now = Date.now();
for (let i = 0; i < 20; i++) await insertSensorAlertResolutions(h.writer, [{ alertId: `a${i}`, resolvedBy: 'x', note: null, resolvedAt: now }], { dedupToken: `r${i}` });
const time = async (name: string, fn: () => Promise<unknown>) => {
  const xs: number[] = [];
  for (let i = 0; i < 40; i++) { const t = performance.now(); await fn(); xs.push(performance.now() - t); }
  xs.sort((a, b) => a - b);
  console.log(name.padEnd(28), 'p50', xs[20]!.toFixed(1), 'p90', xs[36]!.toFixed(1));
};
const p = { equipmentId: '', severity: '', status: '', fromMs: now - 60000, toMs: 10_413_791_999_999, afterMs: 0, afterId: '', limit: 500 };
await time('page', () => querySensorAlertPage(h.reader, { fromMs: now - 60000, limit: 500 }));
await time('alerts FINAL filtered', () => h.reader.query(`SELECT * FROM sensor_alerts FINAL WHERE raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') ORDER BY raised_at DESC, alert_id LIMIT 500`, { params: { fromMs: now - 60000 } }));
await time('alerts FINAL literal', () => h.reader.query(`SELECT * FROM sensor_alerts FINAL WHERE raised_at >= fromUnixTimestamp64Milli(${now - 60000}, 'UTC') ORDER BY raised_at DESC, alert_id LIMIT 500`));
await time('alerts LIMIT 1 BY', () => h.reader.query(`SELECT * FROM sensor_alerts WHERE raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') ORDER BY raised_at DESC, alert_id LIMIT 1 BY alert_id LIMIT 500`, { params: { fromMs: now - 60000 } }));
await time('join with IN prefilter', () => h.reader.query(`SELECT a.*, r.alert_id != '' AS resolved FROM sensor_alerts AS a FINAL LEFT JOIN (SELECT alert_id, argMin((resolved_by, note), (resolved_at, resolved_by)) AS first_resolution, min(resolved_at) AS first_at FROM sensor_alert_resolutions GROUP BY alert_id) AS r ON r.alert_id = a.alert_id WHERE a.raised_at >= fromUnixTimestamp64Milli({fromMs:Int64}, 'UTC') ORDER BY raised_at DESC, alert_id LIMIT 500`, { params: { fromMs: now - 60000 } }));
await time('page json only', () => h.reader.query(`SELECT 1 FROM sensor_alerts FINAL LIMIT 0`));
await h.close();
