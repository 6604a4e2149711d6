// Child process: the query API over an embedded ClickHouse preloaded with a synthetic data set.
// The preload inserts change rows directly (insertEventChangesTabSeparated): a bulk load for the
// query figures, NOT the pipeline. Besides the public routes it serves the same answers computed by
// a FINAL scan of the winners (/bench/final/...), so both are timed the same way, over HTTP.
import path from 'node:path';
import { type ClickHouseHandle, migrate, openClickHouse } from '@shopfloor/clickhouse';
import {
  insertEventChangesTabSeparated,
  queryMachineStatsFromFinal,
  queryTopDefectLinesFromFinal,
} from '@shopfloor/clickhouse/testing';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { queryRoutes } from '@shopfloor/query';
import { z } from 'zod';
import { announceReady, reportProgress, runChild, serveParent } from './child-protocol.ts';
import { queryRows } from './query-data.ts';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
const CHUNK = 200_000;

let clickhouse: ClickHouseHandle | undefined;
let app: HttpApp | undefined;
let loaded = 0;

async function preload(args: unknown) {
  const { total, endMs } = args as { total: number; endMs: number };
  const ch = clickhouse!;
  const started = performance.now();
  let lastReport = 0;
  while (loaded < total) {
    const n = Math.min(CHUNK, total - loaded);
    await insertEventChangesTabSeparated(ch.writer, queryRows(loaded, n, endMs), {
      dedupToken: `preload:${loaded}`,
      validate: false,
    });
    loaded += n;
    if (performance.now() - lastReport > 2000) {
      lastReport = performance.now();
      reportProgress(`preloaded ${loaded}/${total} events (${Math.round(performance.now() - started)} ms)`);
    }
  }
  const [row] = await ch.reader.query('SELECT toInt64(count()) AS n FROM event_changes');
  return { loaded, rows: Number(row?.n), ms: Math.round(performance.now() - started) };
}

serveParent({ preload }, async () => {
  await app?.close();
  await clickhouse?.close();
});
await runChild(async () => {
  clickhouse = await openClickHouse({ dataDir: path.join(dataDir, 'clickhouse') });
  await migrate(clickhouse.writer);
  const reader = clickhouse.reader;
  const server = createHttpApp({ bodyLimit: 1024 * 1024 });
  app = server;
  await server.register(queryRoutes, { reader });
  const epochMs = z.coerce.number().int();
  server.get(
    '/bench/final/stats',
    { schema: { querystring: z.object({ machineId: z.string(), startMs: epochMs, endMs: epochMs }) } },
    async (request) => queryMachineStatsFromFinal(reader, request.query),
  );
  server.get(
    '/bench/final/top-defect-lines',
    {
      schema: {
        querystring: z.object({
          factoryId: z.string(),
          fromMs: epochMs,
          toMs: epochMs,
          limit: epochMs.default(10),
        }),
      },
    },
    async (request) => queryTopDefectLinesFromFinal(reader, request.query),
  );
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  announceReady(`http://127.0.0.1:${port}`);
});
