import { mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type ClickHouseHandle, openClickHouse, paramLockBuffer } from '../src/index.ts';

// Statements with parameters from the main thread and a worker thread at the same time, on one
// engine: chdb chains them per JS realm only, so the two threads share `paramLockBuffer()`. (Run
// with the worker on a lock of its own, this test passed too, three times on 2026-12-06: the clash
// chdb's index.js describes was not reproduced here; the lock follows chdb's rule, not a failure seen.)
let dataDir: string;
let ch: ClickHouseHandle;
const workers: Worker[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(tmpdir(), 'shopfloor-ch-param-lock-'));
  ch = await openClickHouse({ dataDir, sessions: 2, readSessions: 1 });
});

afterAll(async () => {
  await ch?.close();
  // Only now: a worker that loaded chdb takes the engine down when it ends.
  for (const w of workers) await w.terminate();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** The worker entry is TypeScript: imported through tsx's API (a worker does not inherit the loader). */
function startWorker(count: number): Promise<{ wrong: string[] }> {
  const tsx = path.dirname(createRequire(import.meta.url).resolve('tsx/package.json'));
  const api = pathToFileURL(path.join(tsx, 'dist', 'esm', 'api', 'index.mjs')).href;
  const entry = new URL('./param-worker.ts', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`,
    { eval: true, workerData: { dataDir, paramLock: paramLockBuffer(), count } },
  );
  workers.push(worker);
  return new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
}

test('parameterized statements of two threads at once each get their own parameters', async () => {
  const count = 300;
  const fromWorker = startWorker(count);
  const wrong: string[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const rows = await ch.reader.query(
        'SELECT {v:UInt64} AS v, {s:String} AS s, count() AS n FROM numbers(200000) WHERE number % 7 = {v:UInt64} % 7',
        {
          params: { v: i, s: `m${i}` },
        },
      );
      if (Number(rows[0]?.v) !== i || rows[0]?.s !== `m${i}`) wrong.push(JSON.stringify(rows[0]));
    }),
  );
  expect(wrong).toEqual([]);
  expect((await fromWorker).wrong).toEqual([]);
}, 120_000);
