/**
 * Quick measurement (not a benchmark suite): insert cost per row by wire format, and stats query
 * latency from the rollups vs. a FINAL scan of the winners, on the embedded engine.
 *
 *   pnpm exec tsx bench/micro/clickhouse-measure.ts [rows=1000000]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type EventChangeRow,
  eventChangeColumns,
  insertEventChanges,
  migrate,
  openClickHouse,
  queryMachineStats,
  queryTopDefectLines,
} from '@shopfloor/clickhouse';
import {
  insertEventChangesTabSeparated,
  queryMachineStatsFromFinal,
  queryTopDefectLinesFromFinal,
} from '@shopfloor/clickhouse/testing';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const CHUNK = 100_000;
const BASE = Date.UTC(2026, 0, 1);
const DAY = 86_400_000;
const machines = Array.from({ length: 200 }, (_, i) => `machine-${i}`);
const lines = Array.from({ length: 20 }, (_, i) => `line-${i}`);
const factories = ['factory-a', 'factory-b', 'factory-c'];

let seed = 42;
function rand(): number {
  seed = (seed * 1_664_525 + 1_013_904_223) >>> 0;
  return seed / 4_294_967_296;
}

function rows(n: number, offset: number): EventChangeRow[] {
  return Array.from({ length: n }, (_, i) => {
    const m = Math.floor(rand() * machines.length);
    return {
      sign: 1,
      eventId: `ev-${offset + i}`,
      eventTimeMs: BASE + Math.floor(rand() * DAY),
      machineId: machines[m]!,
      lineId: lines[m % lines.length]!,
      factoryId: factories[m % factories.length]!,
      durationMs: Math.floor(rand() * 5_000),
      defectCount: rand() < 0.05 ? -1 : Math.floor(rand() * 5),
      receivedAt: BASE + DAY,
      version: 1,
    };
  });
}

function stats(samples: number[]) {
  const s = [...samples].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
  return { p50: at(0.5), p95: at(0.95), max: s[s.length - 1]! };
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-bench-'));
const ch = await openClickHouse({ dataDir });
try {
  await migrate(ch.writer);
  const w = ch.writer;
  let offset = 0;

  console.log(`insert cost per row (${CHUNK} rows per insert into event_changes + 4 views):`);
  const variants: [string, (r: EventChangeRow[], token: string) => Promise<void>][] = [
    [
      'JSONEachRow objects (raw writer)',
      (r, token) =>
        w.insert({
          table: 'event_changes',
          columns: eventChangeColumns,
          format: 'JSONEachRow',
          values: r.map((x) => ({
            event_id: x.eventId,
            event_time: `${x.eventTimeMs / 1000}`,
            machine_id: x.machineId,
            line_id: x.lineId,
            factory_id: x.factoryId,
            duration_ms: x.durationMs,
            defect_count: x.defectCount,
            received_at: `${x.receivedAt / 1000}`,
            version: x.version,
            sign: x.sign,
          })),
          settings: {
            insert_deduplication_token: token,
            deduplicate_blocks_in_dependent_materialized_views: 1,
          },
        }),
    ],
    ['JSONCompactEachRow + zod', (r, token) => insertEventChanges(w, r, { dedupToken: token })],
    [
      'JSONCompactEachRow, no zod',
      (r, token) => insertEventChanges(w, r, { dedupToken: token, validate: false }),
    ],
    ['TabSeparated + zod', (r, token) => insertEventChangesTabSeparated(w, r, { dedupToken: token })],
    [
      'TabSeparated, no zod',
      (r, token) => insertEventChangesTabSeparated(w, r, { dedupToken: token, validate: false }),
    ],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [name, insert] of variants) {
      const r = rows(CHUNK, offset);
      const ms = await time(() => insert(r, `bench:${offset}`));
      offset += CHUNK;
      if (round === 1) console.log(`  ${name.padEnd(34)} ${((ms * 1000) / CHUNK).toFixed(2)} µs/row`);
    }
  }
  const replay = rows(CHUNK, 0);
  const before = await w.query('SELECT count() AS n FROM event_changes');
  const replayMs = await time(() => insertEventChanges(w, replay, { dedupToken: 'bench:0' }));
  const after = await w.query('SELECT count() AS n FROM event_changes');
  console.log(
    `  replay of a ${CHUNK}-row insert with the same token: ${replayMs.toFixed(0)} ms, rows ${before[0]?.n} -> ${after[0]?.n}`,
  );

  while (offset < TOTAL) {
    const n = Math.min(CHUNK, TOTAL - offset);
    await insertEventChanges(w, rows(n, offset), { dedupToken: `bench:${offset}`, validate: false });
    offset += n;
    process.stdout.write(`\r  loading ${offset}/${TOTAL}`);
  }
  process.stdout.write('\n');
  const [count] = await w.query('SELECT count() AS n FROM event_changes');
  console.log(`rows in event_changes: ${count?.n} (unmerged parts are queried as they are)`);

  const windows = Array.from({ length: 40 }, () => {
    const start = BASE + Math.floor(rand() * DAY * 0.8);
    return { start, end: start + Math.floor(rand() * DAY * 0.2) + 1 };
  });
  const measure = async (
    name: string,
    fn: (win: { start: number; end: number }, i: number) => Promise<unknown>,
  ) => {
    const samples: number[] = [];
    for (const [i, win] of windows.entries()) samples.push(await time(() => fn(win, i)));
    const s = stats(samples);
    console.log(
      `  ${name.padEnd(40)} p50 ${s.p50.toFixed(1)} ms  p95 ${s.p95.toFixed(1)} ms  max ${s.max.toFixed(1)} ms`,
    );
    return s.p50;
  };
  console.log(`query latency over ${windows.length} random ms windows (≤ ${(DAY * 0.2) / 3_600_000} h):`);
  const m = await measure('queryMachineStats (rollup + edges)', (win, i) =>
    queryMachineStats(ch.reader, {
      machineId: machines[i % machines.length]!,
      startMs: win.start,
      endMs: win.end,
    }),
  );
  const mf = await measure('queryMachineStatsFromFinal', (win, i) =>
    queryMachineStatsFromFinal(ch.reader, {
      machineId: machines[i % machines.length]!,
      startMs: win.start,
      endMs: win.end,
    }),
  );
  const t = await measure('queryTopDefectLines (rollup + edges)', (win, i) =>
    queryTopDefectLines(ch.reader, {
      factoryId: factories[i % 3]!,
      fromMs: win.start,
      toMs: win.end,
      limit: 10,
    }),
  );
  const tf = await measure('queryTopDefectLinesFromFinal', (win, i) =>
    queryTopDefectLinesFromFinal(ch.reader, {
      factoryId: factories[i % 3]!,
      fromMs: win.start,
      toMs: win.end,
      limit: 10,
    }),
  );
  console.log(`  ratio FINAL/rollup p50: machine ${(mf / m).toFixed(1)}x, top lines ${(tf / t).toFixed(1)}x`);
  await w.command('OPTIMIZE TABLE events FINAL');
  await w.command('OPTIMIZE TABLE machine_minute_stats FINAL');
  await w.command('OPTIMIZE TABLE line_minute_stats FINAL');
  console.log('after OPTIMIZE ... FINAL (fully merged):');
  await measure('queryMachineStats (rollup + edges)', (win, i) =>
    queryMachineStats(ch.reader, {
      machineId: machines[i % machines.length]!,
      startMs: win.start,
      endMs: win.end,
    }),
  );
  await measure('queryMachineStatsFromFinal', (win, i) =>
    queryMachineStatsFromFinal(ch.reader, {
      machineId: machines[i % machines.length]!,
      startMs: win.start,
      endMs: win.end,
    }),
  );
  await measure('queryTopDefectLines (rollup + edges)', (win, i) =>
    queryTopDefectLines(ch.reader, {
      factoryId: factories[i % 3]!,
      fromMs: win.start,
      toMs: win.end,
      limit: 10,
    }),
  );
  await measure('queryTopDefectLinesFromFinal', (win, i) =>
    queryTopDefectLinesFromFinal(ch.reader, {
      factoryId: factories[i % 3]!,
      fromMs: win.start,
      toMs: win.end,
      limit: 10,
    }),
  );
} finally {
  await ch.close();
  await rm(dataDir, { recursive: true, force: true });
}
