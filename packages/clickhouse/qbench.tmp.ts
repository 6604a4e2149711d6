import { rmSync } from 'node:fs';
import { insertSensorAlerts, migrate, openClickHouse, querySensorAlertPage } from './src/index.ts';
const dir = '/tmp/at/qbench/data';
rmSync(dir, { recursive: true, force: true });
const h = await openClickHouse({ dataDir: dir });
await migrate(h.writer);
const now = Date.now();
for (let i = 0; i < 200; i++) {
  await insertSensorAlerts(h.writer, [{ alertId: `a${i}`, readingKey: `k${i}`, readingId: null, equipmentId: `E${i}`, sensorType: 'vibration', severity: 'CRITICAL', value: 100, unit: 'mm/s', zScore: 170, mean: 1, stddev: 0.5, baselineCount: 40, timestampMs: now, receivedAt: now + i }], { dedupToken: `t${i}` });
}
const time = async (name: string, fn: () => Promise<unknown>) => {
  const xs: number[] = [];
  for (let i = 0; i < 30; i++) { const t = performance.now(); await fn(); xs.push(performance.now() - t); }
  xs.sort((a, b) => a - b);
  console.log(name, 'p50', xs[15]!.toFixed(1), 'max', xs[29]!.toFixed(1));
};
const parts = await h.reader.query(`SELECT count() c FROM system.parts WHERE table='sensor_alerts' AND active`);
console.log('parts', parts);
await time('SELECT 1', () => h.reader.query('SELECT 1'));
await time('page', () => querySensorAlertPage(h.reader, { fromMs: now - 60000, limit: 500 }));
await time('count FINAL', () => h.reader.query('SELECT count() FROM sensor_alerts FINAL'));
await time('count', () => h.reader.query('SELECT count() FROM sensor_alerts'));
await time('join only', () => h.reader.query(`SELECT alert_id, argMin((resolved_by, note), (resolved_at, resolved_by)) FROM sensor_alert_resolutions GROUP BY alert_id`));
await time('insert 1 row', async () => { const i = Math.random(); await insertSensorAlerts(h.writer, [{ alertId: `x${i}`, readingKey: `k`, readingId: null, equipmentId: `E`, sensorType: 'vibration', severity: 'CRITICAL', value: 100, unit: 'mm/s', zScore: 170, mean: 1, stddev: 0.5, baselineCount: 40, timestampMs: now, receivedAt: now }], { dedupToken: `y${i}` }); });
await h.close();
