// What a /metrics scrape cost the pipeline's event loop while the dedupe state reported its size
// with lmdb's getCount() (a walk over every entry, on the calling thread) against the database's
// own entry count (getStats().entryCount, O(1)), which count() uses now (bench/README "Levers" 17).
// Values shaped like the events' winners; each figure the first call and the next two.
// pnpm exec tsx bench/micro/lmdb-count.ts [entries 2000000,4000000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { open } from 'lmdb';

const sizes = (process.argv[2] ?? '2000000,4000000').split(',').map(Number);
const ms = (fn: () => number): [number, number] => {
  const t = performance.now();
  const n = fn();
  return [performance.now() - t, n];
};
for (const n of sizes) {
  const dir = mkdtempSync(path.join(tmpdir(), 'lmdb-count-'));
  const root = open({ path: dir, noSync: true, maxDbs: 4 });
  const db = root.openDB<object, string>({ name: 'p0' });
  for (let from = 0; from < n; from += 10_000)
    root.transactionSync(() => {
      for (let i = from; i < Math.min(n, from + 10_000); i++)
        db.putSync(`r2026-12-03-e-${i}`, {
          receivedAt: 1_764_000_000_000 + i,
          version: 1,
          payloadHash: 'b5f1c2d3e4f5a6b7',
          machineId: `M-${i % 50}`,
          lineId: `L-${i % 10}`,
          factoryId: 'F-1',
          eventTime: 1_764_000_000_000 + i,
          durationMs: 120,
          defectCount: i % 3,
        });
    });
  const walk: number[] = [];
  const stats: number[] = [];
  for (let k = 0; k < 3; k++) {
    const [a, c] = ms(() => db.getCount());
    const [b, s] = ms(() => (db.getStats() as { entryCount: number }).entryCount);
    if (c !== n || s !== n) throw new Error(`counted ${c} / ${s} of ${n}`);
    walk.push(a);
    stats.push(b);
  }
  const f = (xs: number[]) => xs.map((x) => x.toFixed(x < 1 ? 3 : 1)).join(' / ');
  console.log(`${n} entries: getCount() ${f(walk)} ms; getStats().entryCount ${f(stats)} ms`);
  await root.close();
  rmSync(dir, { recursive: true, force: true });
}
