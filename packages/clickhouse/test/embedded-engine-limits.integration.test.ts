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
  ch = await openClickHouse({ dataDir, engine: { maxMemoryBytes: 3 * 2 ** 30, cacheBytes: 48 * 2 ** 20 } });
  const rows = await ch.reader.query(
    "SELECT name, value FROM system.server_settings WHERE name IN ('max_server_memory_usage', 'mark_cache_size', 'primary_index_cache_size', 'index_mark_cache_size', 'query_condition_cache_size') ORDER BY name",
  );
  expect(Object.fromEntries(rows.map((r) => [r.name, String(r.value)]))).toEqual({
    index_mark_cache_size: String(48 * 2 ** 20),
    mark_cache_size: String(48 * 2 ** 20),
    max_server_memory_usage: String(3 * 2 ** 30),
    primary_index_cache_size: String(48 * 2 ** 20),
    query_condition_cache_size: String(48 * 2 ** 20),
  });
  // Statements keep working through the client's own connection to the same engine.
  await ch.writer.command('CREATE TABLE t (x UInt32) ENGINE = MergeTree ORDER BY x');
  await ch.writer.insert({ table: 't', columns: ['x'], format: 'JSONCompactEachRow', values: [[1], [2]] });
  expect(await ch.reader.query('SELECT count() AS n FROM t')).toEqual([{ n: 2 }]);
});
