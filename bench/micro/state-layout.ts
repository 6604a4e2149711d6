// The events' dedupe state in LMDB, by how a winner is laid out: the object as msgpack (field names
// included; the layout before `65eae5d`) against `winnerLayout`'s tuple. Writes through the store's
// own `apply` (one LMDB transaction per 1000 winners, as a dedupe batch), then reads every 10th back.
// Prints the cost per write and per read, and the state's file size per winner (bench/README, "Memory").
// pnpm exec tsx bench/micro/state-layout.ts [winners 1000000]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ReceivedEvent, type WinnerState, winnerFromEvent } from '@shopfloor/contracts';
import { lmdbStateStores, storedAsIs, winnerLayout } from '@shopfloor/dedupe';

const n = Number(process.argv[2] ?? 1_000_000);
const BATCH = 1000;
// Ids and payloads shaped like the bench's (bench/src/event-batches.ts).
const winnerOf = (k: number): WinnerState => {
  const incoming: ReceivedEvent = {
    event: {
      eventId: `ingest-async-1000-${k}`,
      eventTime: '',
      machineId: `ingest-M${k % 8}`,
      lineId: `ingest-L${k % 4}`,
      factoryId: 'ingest-F',
      durationMs: 1000 + (k % 977),
      defectCount: k % 4,
    },
    eventTimeMs: 1_764_000_000_000 + ((k * 7919) % 60_000),
    receivedAt: 1_764_000_000_000 + k,
  };
  return winnerFromEvent(incoming, 1);
};

for (const [name, layout] of [
  ['object (msgpack with field names)', storedAsIs<WinnerState>()],
  ['tuple (winnerLayout)', winnerLayout],
  ['object (msgpack with field names)', storedAsIs<WinnerState>()],
  ['tuple (winnerLayout)', winnerLayout],
] as const) {
  const dir = mkdtempSync(path.join(tmpdir(), 'state-layout-'));
  const stores = lmdbStateStores(dir, layout);
  const store = stores.open(0);
  let writeMs = 0;
  for (let from = 0; from < n; from += BATCH) {
    const writes: [string, WinnerState][] = [];
    for (let k = from; k < Math.min(n, from + BATCH); k++)
      writes.push([`ingest-async-1000-${k}`, winnerOf(k)]);
    const t = performance.now();
    store.apply(writes, String(from + BATCH));
    writeMs += performance.now() - t;
  }
  const t = performance.now();
  let found = 0;
  for (let k = 0; k < n; k += 10) if (store.get(`ingest-async-1000-${k}`)?.version === 1) found++;
  const readMs = performance.now() - t;
  if (found !== Math.ceil(n / 10)) throw new Error(`read back ${found}`);
  const bytes = statSync(path.join(dir, 'data.mdb')).size;
  console.log(
    `${name}: write ${((writeMs * 1000) / n).toFixed(2)} us, read ${((readMs * 1000) / found).toFixed(2)} us per winner; ` +
      `state file ${Math.round(bytes / 1048576)} MiB = ${Math.round(bytes / n)} B per winner`,
  );
  await stores.close();
  rmSync(dir, { recursive: true, force: true });
}
