/**
 * How much the embedded engine's background merges rewrite under a projector's insert pattern:
 * one table shaped like sensor_readings, `parts` inserts of `rows` rows at one insert every
 * `everyMs`, then the engine's own counters (system.events): rows merged per row inserted, merges,
 * and the merge threads' time. One table per MergeTree settings variant, run one after another on
 * the same engine.
 *
 *   pnpm exec tsx bench/micro/merge-amplification.ts [parts=200] [rows=600] [everyMs=100]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { openClickHouse } from '@shopfloor/clickhouse';
import { type EngineCounters, readEngineCounters } from '../src/engine-activity.ts';

const PARTS = Number(process.argv[2] ?? 200);
const ROWS = Number(process.argv[3] ?? 600);
const EVERY_MS = Number(process.argv[4] ?? 100);

const variants: [string, string][] = [
  ['engine defaults', ''],
  ['merge_selector_base = 10', 'merge_selector_base = 10'],
  ['merge_selector_base = 20', 'merge_selector_base = 20'],
  ['merge_selector_base = 50', 'merge_selector_base = 50'],
];

const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-merge-amp-'));
const ch = await openClickHouse({ dataDir });
try {
  console.log(`${PARTS} inserts of ${ROWS} rows, one every ${EVERY_MS} ms, per variant`);
  for (const [i, [name, settings]] of variants.entries()) {
    const table = `readings_${i}`;
    await ch.writer.command(
      `CREATE TABLE ${table} (reading_key String, equipment_id LowCardinality(String),
         sensor_type LowCardinality(String), value Float64, ts DateTime64(3, 'UTC'))
       ENGINE = ReplacingMergeTree ORDER BY (equipment_id, sensor_type, ts, reading_key)
       ${settings ? `SETTINGS ${settings}` : ''}`,
    );
    const a = await readEngineCounters(ch.reader);
    const t0 = performance.now();
    for (let p = 0; p < PARTS; p++) {
      const next = t0 + (p + 1) * EVERY_MS;
      await ch.writer.command(
        `INSERT INTO ${table} SELECT concat('k-', toString(number)), concat('EQ-', toString(number % 200)),
           ['temperature', 'vibration', 'pressure', 'voltage'][number % 4 + 1], number / 7,
           fromUnixTimestamp64Milli(toInt64(1764633600000 + number)) FROM numbers(${p * ROWS}, ${ROWS})`,
      );
      const wait = next - performance.now();
      if (wait > 0) await sleep(wait);
    }
    await sleep(2000); // merges still running finish
    const b = await readEngineCounters(ch.reader);
    const [parts] = await ch.reader.query(
      `SELECT count() AS n, max(level) AS maxLevel FROM system.parts WHERE active AND table = '${table}'`,
    );
    const d = (k: keyof EngineCounters) => (b?.[k] ?? 0) - (a?.[k] ?? 0);
    console.log(
      `${name.padEnd(32)} merged rows per inserted row ${(d('MergedRows') / d('InsertedRows')).toFixed(2)}, ` +
        `${d('Merge')} merges, merge time ${d('MergeTotalMilliseconds')} ms; ` +
        `active parts at end ${parts?.n}, max level ${parts?.maxLevel}`,
    );
  }
} finally {
  await ch.close();
  await rm(dataDir, { recursive: true, force: true });
}
