/**
 * Where the time of a `GET /stats` statement goes on the embedded engine (the query target: p99 ≤ 20
 * ms at 10 M events), without HTTP: the whole statement against its two halves alone (the rollup's
 * whole minutes, the change rows' partial edges), one thread instead of two, and `SELECT {a}` (the
 * engine's fixed cost per statement with a parameter), on the bench's query data set as loaded and
 * again once each table is merged to one part (`OPTIMIZE ... FINAL`).
 *
 *   pnpm exec tsx bench/micro/stats-statement-cost.ts [events=3000000] [rounds=300]
 *
 * The variants run in turn within each round, their order rotated round by round, so the machine's
 * phases and the caches hit all of them alike. Ratios are against the whole statement of the same phase.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseHandle, migrate, openClickHouse } from '@shopfloor/clickhouse';
import {
  insertEventChangesTabSeparated,
  MACHINE_EDGES_SQL,
  MACHINE_MINUTES_SQL,
  MACHINE_STATS_SQL,
  windowParams,
} from '@shopfloor/clickhouse/testing';
import { seededRandom } from '@shopfloor/contracts/testing';
import { DAY_MS, QUERY_DAYS, QUERY_MACHINES, queryRows } from '../src/query-data.ts';
import { percentile } from '../src/stats.ts';

const EVENTS = Number(process.argv[2] ?? 3_000_000);
const ROUNDS = Number(process.argv[3] ?? 300);
const HOUR_MS = 3_600_000;
const CHUNK = 200_000;

type Params = Record<string, string | number>;
const variants: [string, (ch: ClickHouseHandle, p: Params) => Promise<unknown>][] = [
  ['statement', (ch, p) => ch.reader.query(MACHINE_STATS_SQL, { params: p })],
  ['minutes only', (ch, p) => ch.reader.query(MACHINE_MINUTES_SQL, { params: p })],
  ['edges only', (ch, p) => ch.reader.query(MACHINE_EDGES_SQL, { params: p })],
  [
    'max_threads=1',
    (ch, p) => ch.reader.query(MACHINE_STATS_SQL, { params: p, settings: { max_threads: 1 } }),
  ],
  ['SELECT {a}', (ch) => ch.reader.query('SELECT {a:Int64} AS a', { params: { a: 1 } })],
];

async function timeVariants(ch: ClickHouseHandle, endMs: number, phase: string): Promise<void> {
  const rand = seededRandom(EVENTS);
  const start = endMs - QUERY_DAYS * DAY_MS;
  const times = variants.map(() => [] as number[]);
  for (let round = 0; round < ROUNDS; round++) {
    const from = start + Math.floor(rand() * (QUERY_DAYS * DAY_MS - HOUR_MS));
    const machineId = QUERY_MACHINES[Math.floor(rand() * QUERY_MACHINES.length)] ?? 'qm-0';
    const params = { machineId, ...windowParams(from, from + HOUR_MS) };
    for (let k = 0; k < variants.length; k++) {
      const i = (round + k) % variants.length;
      const [, run] = variants[i]!;
      const t = performance.now();
      await run(ch, params);
      times[i]!.push(performance.now() - t);
    }
  }
  const parts = await ch.reader.query(
    `SELECT table, toInt64(count()) AS n FROM system.parts
     WHERE active AND database = currentDatabase() AND table IN ('machine_minute_stats', 'event_changes')
     GROUP BY table ORDER BY table`,
  );
  const wholeP50 = percentile(times[0]!, 0.5);
  console.log(
    `\n${phase}: ${parts.map((r) => `${r.table} ${r.n} parts`).join(', ')}; load ${loadavg()[0]?.toFixed(1)}`,
  );
  console.log('| variant | p50 ms | p90 ms | p99 ms | p50 / statement p50 |');
  console.log('| --- | --- | --- | --- | --- |');
  for (const [i, [name]] of variants.entries()) {
    const t = times[i]!;
    const p50 = percentile(t, 0.5);
    console.log(
      `| ${name} | ${p50.toFixed(1)} | ${percentile(t, 0.9).toFixed(1)} | ${percentile(t, 0.99).toFixed(1)} | ${(p50 / wholeP50).toFixed(2)} |`,
    );
  }
}

const dir = await mkdtemp(join(tmpdir(), 'stats-statement-cost-'));
const ch = await openClickHouse({ dataDir: dir });
try {
  await migrate(ch.writer);
  const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 7 * DAY_MS + 12_345;
  const loadStart = performance.now();
  for (let loaded = 0; loaded < EVENTS; loaded += CHUNK) {
    const rows = queryRows(loaded, Math.min(CHUNK, EVENTS - loaded), endMs);
    await insertEventChangesTabSeparated(ch.writer, rows, {
      dedupToken: `preload:${loaded}`,
      validate: false,
    });
  }
  console.log(
    `${EVENTS} events loaded in ${((performance.now() - loadStart) / 1000).toFixed(1)} s (as the bench's query section)`,
  );
  await timeVariants(ch, endMs, 'as loaded');
  for (const table of ['machine_minute_stats', 'event_changes'])
    await ch.writer.command(`OPTIMIZE TABLE ${table} FINAL`);
  await timeVariants(ch, endMs, 'one part per table');
} finally {
  await ch.close();
  await rm(dir, { recursive: true, force: true });
}
