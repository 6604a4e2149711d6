// How the sensor service's LMDB identity store should write, measured on the main thread (where the
// processor runs) and in the whole process (LMDB's write thread included): a synchronous
// transaction per 500-reading batch (the store's way) against LMDB's asynchronous `put` (committed
// on its own thread, the batch kept readable in a Map until then), each with the identities as
// readingKey makes them (equipment first: writes all over the tree) and time-ordered
// (`timeOrderedKey`: the newest next to each other). Keys shaped like the bench's.
// pnpm exec tsx bench/micro/identity-writes.ts [identities 1000000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { timeOrderedKey } from '@shopfloor/sensors';
import { open } from 'lmdb';
import { benchIdentity, FIRST_READING_MS } from './bench-identities.ts';

const n = Number(process.argv[2] ?? 1_000_000);
const BATCH = 500;
const t0 = FIRST_READING_MS;
const keyOf = benchIdentity;

/** CPU seconds of this thread and of the whole process (utime + stime, in clock ticks of 10 ms). */
function cpuSeconds(): { thread: number; process: number } {
  const ticks = (stat: string) => {
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  };
  return {
    thread: ticks(readFileSync('/proc/thread-self/stat', 'utf8')),
    process: ticks(readFileSync('/proc/self/stat', 'utf8')),
  };
}

const turn = () => new Promise((r) => setImmediate(r));

async function run(write: 'sync' | 'async', order: 'readingKey' | 'timeOrderedKey'): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'identity-writes-'));
  const root = open({ path: dir, noSync: true, maxDbs: 4 });
  const db = root.openDB<number, string>({ name: 'p0' });
  const encode = order === 'timeOrderedKey' ? timeOrderedKey : (k: string) => k;
  const buffered = new Map<string, number>();
  const inFlight = new Set<Map<string, number>>();
  const has = (key: string) => {
    if (buffered.has(key)) return true;
    for (const m of inFlight) if (m.has(key)) return true;
    return db.get(encode(key)) !== undefined;
  };
  const c0 = cpuSeconds();
  for (let i = 0; i < n; i++) {
    const key = keyOf(i);
    if (!has(key)) buffered.set(key, t0 + i);
    if (i % BATCH !== BATCH - 1) continue;
    if (write === 'sync') {
      root.transactionSync(() => {
        for (const [k, v] of buffered) db.putSync(encode(k), v);
      });
      buffered.clear();
    } else {
      const batch = new Map(buffered);
      buffered.clear();
      let last: Promise<boolean> | undefined;
      for (const [k, v] of batch) last = db.put(encode(k), v);
      inFlight.add(batch);
      void last?.then(() => inFlight.delete(batch));
    }
    // Let LMDB's thread commit (and the loop turn, as between the processor's batches).
    if (write === 'async' || i % (BATCH * 10) === BATCH * 10 - 1) await turn();
  }
  await db.committed;
  const c1 = cpuSeconds();
  const us = (s: number) => ((s * 1e6) / n).toFixed(2);
  console.log(
    `${write} writes, ${order}: ${db.getCount()} identities; main thread ${us(c1.thread - c0.thread)} us, process ${us(c1.process - c0.process)} us per new identity (key, has, write)`,
  );
  await root.close();
  rmSync(dir, { recursive: true, force: true });
}

for (const order of ['readingKey', 'timeOrderedKey'] as const)
  for (const write of ['sync', 'async'] as const) await run(write, order);
