import { execFileSync } from 'node:child_process';
import { readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, test } from 'vitest';
import { type ClickHouseHandle, openClickHouse, repairDedupLogs } from '../src/index.ts';
import { dedupSettings } from '../src/rows.ts';

// The engine's crash window (src/dedup-log-repair.ts): a part whose block id reached the
// deduplication log but whose directory never got its name. A kill cannot be aimed at that
// instruction, so the test leaves the directory in the state the kill leaves it in (the part still
// under a `tmp_insert_` name, which the engine removes at start-up) and restarts the engine.
const FIXTURE = fileURLToPath(new URL('./fixtures/dedup-retry.mjs', import.meta.url));

type Counts = { t: number; v: number; tPath: string; vPath: string };
const engineStart = (dir: string, mode: 'create' | 'retry' | 'merge'): Counts =>
  JSON.parse(execFileSync(process.execPath, [FIXTURE, dir, mode], { encoding: 'utf8', timeout: 60_000 }));

const dirs: string[] = [];
let handle: ClickHouseHandle | undefined;
afterAll(async () => {
  await handle?.close();
  for (const dir of dirs) await rm(dir, { recursive: true, force: true });
});

async function newDataDir() {
  const dir = await mkdtemp(join(tmpdir(), 'shopfloor-dedup-log-'));
  dirs.push(dir);
  return dir;
}

test('a block id recorded for a part the kill lost: the bare engine drops the retry, the repaired open takes it once', async () => {
  const dir = await newDataDir();
  const created = engineStart(dir, 'create');
  expect(created).toMatchObject({ t: 2, v: 2 });
  // The kill between the log write and the rename: the part is still a temporary directory.
  renameSync(join(created.tPath, 'all_1_1_0'), join(created.tPath, 'tmp_insert_all_1_1_0'));

  // What the engine alone does with the retry: t stays empty for good, the view keeps its rows.
  expect(engineStart(dir, 'retry')).toMatchObject({ t: 0, v: 2 });

  // Opened through openClickHouse, the lost block id is forgotten first; the same retry lands in
  // t and is still a duplicate for the view's table.
  handle = await openClickHouse({ dataDir: dir });
  expect(handle.dedupRepairs).toEqual([
    {
      tableDir: created.tPath.replace(/\/$/, ''),
      forgotten: [{ op: 'add', partName: 'all_1_1_0', blockId: expect.any(String) }],
    },
  ]);
  const retry = () =>
    handle!.writer.insert({
      table: 't',
      columns: ['x'],
      format: 'JSONCompactEachRow',
      values: [[1], [2]],
      settings: dedupSettings('T1'),
    });
  const counts = async () =>
    (await handle!.writer.query('SELECT (SELECT count() FROM t) AS t, (SELECT count() FROM v) AS v'))[0];
  await retry();
  expect(await counts()).toEqual({ t: 2, v: 2 });
  await retry();
  expect(await counts()).toEqual({ t: 2, v: 2 });
});

test('a healthy directory, parts merged into one: nothing is forgotten and a retry stays a duplicate', async () => {
  const dir = await newDataDir();
  engineStart(dir, 'create');
  const merged = engineStart(dir, 'merge');
  expect(merged).toMatchObject({ t: 4, v: 4 });
  expect(readdirSync(merged.tPath).filter((n) => /^all_/.test(n))).toContain('all_1_3_1');
  expect(repairDedupLogs(dir)).toEqual([]);
  expect(engineStart(dir, 'retry')).toMatchObject({ t: 4, v: 4 });
});

// The other side of the same insert, which the projectors' retries rely on as well: a view's table
// that never got its part (a kill after the source table's commit, before the view's) is fed by
// the retry even though the source table drops it as a duplicate.
test('a view that missed the first attempt gets the retry, though the source table deduplicates it', async () => {
  const dir = await newDataDir();
  const created = engineStart(dir, 'create');
  rmSync(join(created.vPath, 'all_1_1_0'), { recursive: true });
  writeFileSync(join(created.vPath, 'deduplication_logs', 'deduplication_log_1.txt'), '');
  expect(engineStart(dir, 'retry')).toMatchObject({ t: 2, v: 2 });
  expect(engineStart(dir, 'retry')).toMatchObject({ t: 2, v: 2 });
});
