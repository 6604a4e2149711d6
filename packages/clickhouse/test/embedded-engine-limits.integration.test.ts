import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { type ClickHouseHandle, openClickHouse } from '../src/index.ts';

let dataDir: string | undefined;
let ch: ClickHouseHandle | undefined;

afterAll(async () => {
  await ch?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

it('the embedded engine runs with the memory limit and cache sizes it was opened with', async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-limits-'));
  ch = await openClickHouse({
    dataDir,
    engine: { maxMemoryBytes: 3 * 2 ** 30, cacheBytes: 48 * 2 ** 20, mergeThreadsNice: 19 },
  });
  const rows = await ch.reader.query(
    "SELECT name, value FROM system.server_settings WHERE name IN ('max_server_memory_usage', 'mark_cache_size', 'primary_index_cache_size', 'index_mark_cache_size', 'query_condition_cache_size', 'os_threads_nice_value_merge_mutate') ORDER BY name",
  );
  expect(Object.fromEntries(rows.map((r) => [r.name, String(r.value)]))).toEqual({
    index_mark_cache_size: String(48 * 2 ** 20),
    mark_cache_size: String(48 * 2 ** 20),
    max_server_memory_usage: String(3 * 2 ** 30),
    os_threads_nice_value_merge_mutate: '19',
    primary_index_cache_size: String(48 * 2 ** 20),
    query_condition_cache_size: String(48 * 2 ** 20),
  });
  // Statements keep working through the client's own connection to the same engine.
  await ch.writer.command('CREATE TABLE t (x UInt32) ENGINE = MergeTree ORDER BY x');
  await ch.writer.insert({ table: 't', columns: ['x'], format: 'JSONCompactEachRow', values: [[1], [2]] });
  expect(await ch.reader.query('SELECT count() AS n FROM t')).toEqual([{ n: 2 }]);
  // The engine's merge threads (started for the first merge: a few parts call for one) run at
  // that nice value. As root only: without CAP_SYS_NICE the engine leaves them at 0.
  if (process.getuid?.() !== 0) return;
  // A thread takes the value while it runs a merge, and a merge of a few tiny parts lasts
  // milliseconds: parts keep coming (so merges keep being scheduled) and the threads are read
  // between every two, until one is seen niced (under a loaded machine one 100 ms poll after ten
  // inserts missed every merge).
  const deadline = Date.now() + 20_000;
  let seen = threadNiceValues('MergeMutate');
  for (let i = 0; !seen.includes(19) && Date.now() < deadline; i++) {
    await ch.writer.insert({ table: 't', columns: ['x'], format: 'JSONCompactEachRow', values: [[i]] });
    for (let k = 0; k < 20 && !seen.includes(19); k++) {
      seen = threadNiceValues('MergeMutate');
      await new Promise((r) => setTimeout(r, 1));
    }
  }
  expect(seen).toContain(19);
});

/** The nice values of this process's threads named `name` (field 19 of /proc/self/task/<tid>/stat). */
function threadNiceValues(name: string): number[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return comm === name ? [Number(fields[16])] : [];
  });
}
