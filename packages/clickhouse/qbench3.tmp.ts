import { insertSensorReadings, openClickHouse } from './src/index.ts';
const h = await openClickHouse({ dataDir: '/tmp/at/qbench/data' });
const now = Date.now();
let seq = 0;
const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ readingKey: `k${seq++}`, readingId: null, equipmentId: `E${i % 200}`, sensorType: 'vibration', value: 1 + Math.random(), unit: 'mm/s', timestampMs: now + seq, receivedAt: now, assessment: 'normal' as const, zScore: 0.1, alertId: null }));
for (const n of [250, 500, 1000, 2000, 250, 500, 1000, 2000]) {
  const xs: number[] = [];
  for (let i = 0; i < 12; i++) { const r = rows(n); const t = performance.now(); await insertSensorReadings(h.writer, r, { dedupToken: `t${seq}` }); xs.push(performance.now() - t); }
  xs.sort((a, b) => a - b);
  console.log(n, 'p50', xs[6]!.toFixed(1), 'max', xs[11]!.toFixed(1), 'us/row', ((xs[6]! * 1000) / n).toFixed(1));
}
await h.close();
