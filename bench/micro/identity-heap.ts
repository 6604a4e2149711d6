// Where the sensor processor keeps its seen reading identities, measured: a JS Map (the V8 heap)
// against the service's LMDB store (off the heap). For each: the V8 heap the identities hold once
// `n` are in, a full GC's time with them in (what every mark-compact of the pipeline pays), and the
// cost of the hot path (a `has` per reading, a `set` per new one, one flush per 500-reading batch).
// Keys shaped like the bench's (no readingId: equipment, type, timestamp).
// node --expose-gc --import tsx bench/micro/identity-heap.ts [identities 1100000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type IdentityStore, MapIdentityStore } from '@shopfloor/sensors';
import { lmdbIdentityStores } from '@shopfloor/sensors-service';
import { benchIdentity, FIRST_READING_MS } from './bench-identities.ts';

const n = Number(process.argv[2] ?? 1_100_000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc --import tsx');
const t0 = FIRST_READING_MS;
const keyOf = benchIdentity;

const dir = mkdtempSync(path.join(tmpdir(), 'identity-heap-'));
const lmdb = lmdbIdentityStores(dir);
const stores: [string, () => IdentityStore][] = [
  ['Map', () => new MapIdentityStore()],
  ['LMDB', () => lmdb.open(0)],
];
for (const [name, make] of stores) {
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const store = make();
  const started = performance.now();
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    if (!store.has(key)) store.set(key, t0 + i);
    if (i % 500 === 499) store.flush();
  }
  store.flush();
  const perReading = ((performance.now() - started) * 1000) / n;
  gc();
  const heldMiB = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  let t = performance.now();
  for (let i = 0; i < 5; i++) gc();
  const fullGcMs = (performance.now() - t) / 5;
  // Duplicates: every key again (a `has` that finds it).
  t = performance.now();
  let found = 0;
  for (let i = 0; i < n; i += 10) if (store.has(keyOf(i))) found++;
  const dupUs = ((performance.now() - t) * 1000) / Math.ceil(n / 10);
  console.log(
    `${name}: ${store.size} identities, ${heldMiB.toFixed(0)} MiB of V8 heap (${((heldMiB * 2 ** 20) / n).toFixed(0)} B each), full GC ${fullGcMs.toFixed(1)} ms; new reading ${perReading.toFixed(2)} us (key, has, set, flush per 500), duplicate ${dupUs.toFixed(2)} us (${found} found)`,
  );
  store.clear();
}
gc();
const t = performance.now();
for (let i = 0; i < 5; i++) gc();
console.log(`full GC with neither: ${((performance.now() - t) / 5).toFixed(1)} ms`);
await lmdb.close();
rmSync(dir, { recursive: true, force: true });
