// The embedded engine's two insert paths, side by side on one engine, interleaved:
// - `client`: @clickhouse/client's insert over chdb/connection (the path before `insertBytes`): the
//   body as a stream, turned back into a string, prefixed with a `SET` per setting and the INSERT,
//   and handed to the engine as one SQL string;
// - `handle`: the handle's `writer.insert` (packages/clickhouse), which hands the encoded body to
//   chdb's raw insert as a Buffer, settings in the INSERT's own SETTINGS clause.
// Rows like the projector's event_changes rows, with a dedup token each, in TabSeparated (the events
// projector) and JSONCompactEachRow (the sensor and metric tables). CPU is the process's (the
// engine's threads included); "main" is the event loop's busy time.
// tsx bench/micro/raw-insert.ts [rounds 30] [sizes 200,1000,5000]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import {
  type ClickHouseWriter,
  type InsertRequest,
  insertEventChanges,
  migrate,
  openClickHouse,
} from '@shopfloor/clickhouse';
import { createChdbConnection } from 'chdb/connection';
import { eventChangeRows } from './event-change-rows.ts';

const rounds = Number(process.argv[2] ?? 30);
const sizes = (process.argv[3] ?? '200,1000,5000').split(',').map(Number);
const dataDir = mkdtempSync(path.join(tmpdir(), 'raw-insert-'));
const ch = await openClickHouse({ dataDir });
await migrate(ch.writer);
// A second connection to the same engine (chdb binds one per process and directory).
const client = createClient({
  connection: createChdbConnection({ path: dataDir }) as unknown as NonNullable<
    NonNullable<Parameters<typeof createClient>[0]>['connection']
  >,
});

let n = 0; // rows inserted so far (a token per insert)
const nextRows = eventChangeRows();
const rowsOf = (size: number) => {
  n += size;
  return nextRows(size);
};
const paths = {
  client: (request: InsertRequest) =>
    client.insert({
      table: request.table,
      columns: [...request.columns] as [string, ...string[]],
      format: request.format,
      values:
        typeof request.values === 'string'
          ? Readable.from([Buffer.from(request.values)], { objectMode: false })
          : (request.values as unknown[]),
      ...(request.settings ? { clickhouse_settings: request.settings } : {}),
    }),
  handle: (request: InsertRequest) => ch.writer.insert(request),
};
type Path = keyof typeof paths;

let expectedRows = 0;
for (const format of ['TabSeparated', 'JSONCompactEachRow'] as const) {
  for (const size of sizes) {
    const total = { client: { cpu: 0, wall: 0, main: 0 }, handle: { cpu: 0, wall: 0, main: 0 } };
    for (let r = 0; r < rounds + 2; r++) {
      for (const p of (r % 2 === 0 ? ['client', 'handle'] : ['handle', 'client']) as Path[]) {
        // insertEventChanges builds the request (its encoding of each format); only the insert is timed.
        const timed = { cpu: 0, wall: 0, main: 0 };
        const writer: ClickHouseWriter = {
          ...ch.writer,
          async insert(request) {
            const elu0 = performance.eventLoopUtilization();
            const cpu0 = process.cpuUsage();
            const t0 = performance.now();
            await paths[p](request);
            timed.wall = performance.now() - t0;
            const cpu = process.cpuUsage(cpu0);
            timed.cpu = (cpu.user + cpu.system) / 1000;
            timed.main = performance.eventLoopUtilization(elu0).active;
          },
        };
        await insertEventChanges(writer, rowsOf(size), { dedupToken: `${p}-${n}`, validate: false, format });
        expectedRows += size;
        if (r < 2) continue; // warm-up
        total[p].cpu += timed.cpu;
        total[p].wall += timed.wall;
        total[p].main += timed.main;
      }
    }
    const f = (p: Path) =>
      `${p} ${(total[p].cpu / rounds).toFixed(1)} ms CPU, ${(total[p].wall / rounds).toFixed(1)} wall, ${(total[p].main / rounds).toFixed(2)} main`;
    console.log(
      `${format} ${size} rows: ${f('client')} | ${f('handle')} | handle/client CPU ${(total.handle.cpu / total.client.cpu).toFixed(2)}x, main ${(total.handle.main / total.client.main).toFixed(2)}x`,
    );
  }
}
const [count] = await ch.reader.query('SELECT count() AS c FROM event_changes');
console.log(`rows in event_changes: ${count?.c} of ${expectedRows} inserted (every token distinct)`);
await client.close();
await ch.close();
