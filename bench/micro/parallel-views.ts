// `parallel_view_processing`: an insert into event_changes feeds its four materialized views one
// after the other by default; with the setting at 1 the engine pushes the block into the views on
// threads of their own. One engine, both ways interleaved insert by insert (each with its own dedup
// token, as the projector's), rows as the projector writes them. Wall time is what a synchronous
// batch waits for; CPU is the process's (the engine's threads included).
// tsx bench/micro/parallel-views.ts [rounds 30] [sizes 100,1000,5000]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type ClickHouseWriter, insertEventChanges, migrate, openClickHouse } from '@shopfloor/clickhouse';
import { eventChangeRows } from './event-change-rows.ts';

const rounds = Number(process.argv[2] ?? 30);
const sizes = (process.argv[3] ?? '100,1000,5000').split(',').map(Number);
const ch = await openClickHouse({ dataDir: mkdtempSync(path.join(tmpdir(), 'parallel-views-')) });
await migrate(ch.writer);

let n = 0; // rows inserted so far (a token per insert)
const nextRows = eventChangeRows();
const rowsOf = (size: number) => {
  n += size;
  return nextRows(size);
};

const ways = { serial: 0, parallel: 1 } as const;
type Way = keyof typeof ways;
for (const size of sizes) {
  const total = { serial: { cpu: 0, wall: 0 }, parallel: { cpu: 0, wall: 0 } };
  const walls: Record<Way, number[]> = { serial: [], parallel: [] };
  for (let r = 0; r < rounds + 2; r++) {
    for (const way of (r % 2 === 0 ? ['serial', 'parallel'] : ['parallel', 'serial']) as Way[]) {
      const writer: ClickHouseWriter = {
        ...ch.writer,
        insert: (request) =>
          ch.writer.insert({
            ...request,
            settings: { ...request.settings, parallel_view_processing: ways[way] },
          }),
      };
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      await insertEventChanges(writer, rowsOf(size), { dedupToken: `${way}-${n}`, validate: false });
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      if (r < 2) continue; // warm-up
      total[way].cpu += (cpu.user + cpu.system) / 1000;
      total[way].wall += wall;
      walls[way].push(wall);
    }
  }
  const p50 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
  const f = (w: Way) =>
    `${w} wall ${(total[w].wall / rounds).toFixed(1)} ms (p50 ${p50(walls[w]).toFixed(1)}), CPU ${(total[w].cpu / rounds).toFixed(1)} ms`;
  console.log(
    `${size} rows: ${f('serial')} | ${f('parallel')} | parallel/serial wall ${(total.parallel.wall / total.serial.wall).toFixed(2)}x, CPU ${(total.parallel.cpu / total.serial.cpu).toFixed(2)}x`,
  );
}
const [views] = await ch.reader.query(
  "SELECT count() AS c FROM system.tables WHERE database = currentDatabase() AND engine = 'MaterializedView'",
);
console.log(`materialized views in the schema: ${views?.c}`);
await ch.close();
