// Per-statement cost of the embedded engine (one insert per table, a marker, SELECT 1) by batch size:
// tsx bench/micro/clickhouse-insert-cost.ts. Cited by bench/README.md ("What limits the figures").
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  insertBatchEvents,
  insertEventChanges,
  migrate,
  openClickHouse,
  writeSinkOffsets,
} from '@shopfloor/clickhouse';

const ch = await openClickHouse({ dataDir: mkdtempSync(path.join(tmpdir(), 'ins-')) });
await migrate(ch.writer);
const row = (i: number) => ({
  sign: 1 as const,
  eventId: `e${i}`,
  eventTimeMs: 1772359200000 + i,
  machineId: `M${i % 10}`,
  lineId: 'L',
  factoryId: 'F',
  durationMs: 5,
  defectCount: 1,
  receivedAt: 1772359200000,
  version: 1,
});
let n = 0;
for (const size of [1, 1, 10, 100, 1000, 1000, 5000]) {
  const rows = Array.from({ length: size }, () => row(n++));
  let t = performance.now();
  await insertEventChanges(ch.writer, rows, { dedupToken: `t${n}`, validate: false });
  const a = performance.now() - t;
  t = performance.now();
  await writeSinkOffsets(ch.writer, [
    { topic: 't', partition: 0, minOffset: 0, maxOffset: n, updatedAt: Date.now() + n },
  ]);
  const b = performance.now() - t;
  t = performance.now();
  await insertBatchEvents(
    ch.writer,
    rows.map((r, i) => ({
      batchId: 'b',
      seq: i,
      batchSize: size,
      eventId: r.eventId,
      decision: 'accepted' as const,
      reason: '',
      recordedAt: 1772359200000,
    })),
    { dedupToken: `b${n}` },
  );
  const c = performance.now() - t;
  t = performance.now();
  await ch.reader.query('SELECT 1');
  const d = performance.now() - t;
  console.log(
    `rows=${size} changes=${a.toFixed(1)}ms marker=${b.toFixed(1)}ms batchEvents=${c.toFixed(1)}ms select1=${d.toFixed(1)}ms`,
  );
}
await ch.close();
