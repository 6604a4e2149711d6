/**
 * What the embedded engine spends per projector group, by the parts a group writes. A group of
 * `rows` events is written as the events projector writes it: the sink_offsets marker alone, then
 * event_changes (four views: events, machine and line minute rollups, event_changes_by_factory) and
 * batch_events (one view: outcome_10s_stats) side by side; one group every `everyMs`, `groups`
 * groups, then 2 s for the merges they started. Variants drop pieces to price them: the marker
 * insert (as if the marker rode in a table the group already writes) and single views. Each variant
 * runs in a child process of its own (one embedded engine per process) on a fresh data directory.
 * Printed per variant: the group's write time p50 / p99, the process's CPU per group (all threads:
 * statements, merges, this script's row building, which is the same in every variant), the merges
 * and their time per group, rows merged per row inserted.
 *
 *   pnpm exec tsx bench/micro/group-parts.ts [groups=200] [rows=1000] [everyMs=100] [rounds=2]
 */
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import * as clickhouse from '@shopfloor/clickhouse';
import { loadConfig } from '@shopfloor/config';
import { engineActivity, readEngineCounters } from '../src/engine-activity.ts';
import { summarize } from '../src/stats.ts';

const VARIANTS = {
  today: { marker: true, drop: [] as string[] },
  'no marker insert': { marker: false, drop: [] },
  'no event_changes_by_factory': { marker: true, drop: ['event_changes_by_factory_mv'] },
  'no line_minute_stats': { marker: true, drop: ['line_minute_stats_mv'] },
  'no marker, no by_factory, no line rollup': {
    marker: false,
    drop: ['event_changes_by_factory_mv', 'line_minute_stats_mv'],
  },
} as const;
type Variant = keyof typeof VARIANTS;

const [groupsArg, rowsArg, everyArg, roundsArg] = process.argv.slice(2);
const GROUPS = Number(groupsArg ?? 200);
const ROWS = Number(rowsArg ?? 1000);
const EVERY_MS = Number(everyArg ?? 100);
const ROUNDS = Number(roundsArg ?? 2);

async function runVariant(name: Variant): Promise<string> {
  const variant = VARIANTS[name];
  const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-group-parts-'));
  // The engine as the pipeline opens it on the defaults (sessions, caches, niced merge threads).
  const ch = await clickhouse.openClickHouse({
    ...loadConfig({ SHOPFLOOR_DATA_DIR: dataDir }).clickhouse,
    dataDir,
  });
  try {
    await clickhouse.migrate(ch.writer);
    for (const view of variant.drop) await ch.writer.command(`DROP VIEW ${view}`);
    const t0ms = Date.parse('2026-03-01T10:00:00Z');
    let n = 0;
    const group = (g: number) => {
      const changes: clickhouse.EventChangeRow[] = [];
      const batch: clickhouse.BatchEventRow[] = [];
      for (let i = 0; i < ROWS; i++, n++) {
        const machine = n % 50;
        changes.push({
          sign: 1,
          eventId: `e-${n}`,
          eventTimeMs: t0ms + g * EVERY_MS + i,
          machineId: `M-${machine}`,
          lineId: `L-${machine % 5}`,
          factoryId: 'F-1',
          durationMs: 500 + (n % 700),
          defectCount: n % 17 === 0 ? 1 : 0,
          receivedAt: t0ms + g * EVERY_MS,
          version: 1,
        });
        batch.push({
          batchId: `b-${g}`,
          seq: i,
          batchSize: ROWS,
          eventId: `e-${n}`,
          decision: 'accepted',
          reason: '',
          recordedAt: t0ms + g * EVERY_MS,
        });
      }
      return { changes, batch };
    };
    // One group first, untimed: the engine's first statements on each table.
    const warm = group(-1);
    await clickhouse.insertEventChanges(ch.writer, warm.changes, { dedupToken: 'warm:c', validate: false });
    await clickhouse.insertBatchEvents(ch.writer, warm.batch, { dedupToken: 'warm:b', validate: false });
    await sleep(1000);

    const before = await readEngineCounters(ch.reader);
    const cpu0 = process.cpuUsage();
    const writeMs: number[] = [];
    const start = performance.now();
    for (let g = 0; g < GROUPS; g++) {
      const { changes, batch } = group(g);
      const t = performance.now();
      if (variant.marker) {
        await clickhouse.writeSinkOffsets(
          ch.writer,
          [
            {
              topic: 'shopfloor.events.changes',
              partition: 0,
              minOffset: g,
              maxOffset: g,
              updatedAt: t0ms + g,
            },
          ],
          { dedupToken: `g${g}:marker` },
        );
      }
      await Promise.all([
        clickhouse.insertEventChanges(ch.writer, changes, { dedupToken: `g${g}:c`, validate: false }),
        clickhouse.insertBatchEvents(ch.writer, batch, { dedupToken: `g${g}:b`, validate: false }),
      ]);
      writeMs.push(performance.now() - t);
      const wait = start + (g + 1) * EVERY_MS - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await sleep(2000); // merges the groups started
    const cpu = process.cpuUsage(cpu0);
    const after = await readEngineCounters(ch.reader);
    // Per 1000 items at 1000 items a group: per group.
    const engine = engineActivity(before, after, GROUPS * 1000);
    const write = summarize(writeMs);
    const perGroup = (us: number) => (us / 1000 / GROUPS).toFixed(1);
    return (
      `${name.padEnd(42)} write p50 ${write.p50} / p99 ${write.p99} ms; ` +
      `CPU ${perGroup(cpu.user + cpu.system)} ms/group (user ${perGroup(cpu.user)}, system ${perGroup(cpu.system)}); ` +
      `${engine?.insertsPer1000} inserts, ${engine?.mergesPer1000} merges of ${engine?.mergeMsPer1000} ms per group; ` +
      `${engine?.mergedRowsPerInsertedRow} rows merged per row inserted`
    );
  } finally {
    await ch.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

const only = process.env.GROUP_PARTS_VARIANT as Variant | undefined;
if (only) {
  console.log(await runVariant(only));
} else {
  console.log(`${GROUPS} groups of ${ROWS} events, one every ${EVERY_MS} ms, per variant; ${ROUNDS} rounds`);
  for (let r = 1; r <= ROUNDS; r++) {
    for (const name of Object.keys(VARIANTS) as Variant[]) {
      const out = execFileSync(
        process.execPath,
        [...process.execArgv, import.meta.filename, ...process.argv.slice(2)],
        {
          env: { ...process.env, GROUP_PARTS_VARIANT: name },
          encoding: 'utf8',
        },
      );
      process.stdout.write(`round ${r}: ${out}`);
    }
  }
}
