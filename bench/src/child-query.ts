// Child process: the query API over an embedded ClickHouse preloaded with a synthetic data set.
// The preload inserts change rows directly (insertEventChanges, TabSeparated): a bulk load for the
// query figures, NOT the pipeline. Besides the public routes it serves the same answers computed by
// a FINAL scan of the winners (/bench/final/...), so both are timed the same way, over HTTP.
import path from 'node:path';
import {
  insertEventChanges,
  migrate,
  openClickHouse,
  queryMachineStatsFromFinal,
  queryTopDefectLinesFromFinal,
  type ClickHouseHandle,
} from '@shopfloor/clickhouse';
import { installErrorHandling } from '@shopfloor/http-kit';
import { queryRoutes } from '@shopfloor/query';
import Fastify, { type FastifyInstance } from 'fastify';
import { announceReady, reportProgress, runChild, serveParent } from './child-protocol.ts';
import { queryRows } from './query-data.ts';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');
const CHUNK = 200_000;

let clickhouse: ClickHouseHandle | undefined;
let app: FastifyInstance | undefined;
let loaded = 0;

async function preload(args: unknown) {
  const { total, endMs } = args as { total: number; endMs: number };
  const ch = clickhouse!;
  const started = performance.now();
  let lastReport = 0;
  while (loaded < total) {
    const n = Math.min(CHUNK, total - loaded);
    await insertEventChanges(ch.writer, queryRows(loaded, n, endMs), {
      dedupToken: `preload:${loaded}`,
      validate: false,
      format: 'TabSeparated',
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
  app = Fastify({ bodyLimit: 1024 * 1024 }) as unknown as FastifyInstance;
  installErrorHandling(app);
  await app.register(queryRoutes, { reader });
  app.get('/bench/final/stats', async (request) => {
    const q = request.query as Record<string, string>;
    return queryMachineStatsFromFinal(reader, {
      machineId: String(q.machineId),
      startMs: Number(q.startMs),
      endMs: Number(q.endMs),
    });
  });
  app.get('/bench/final/top-defect-lines', async (request) => {
    const q = request.query as Record<string, string>;
    return queryTopDefectLinesFromFinal(reader, {
      factoryId: String(q.factoryId),
      fromMs: Number(q.fromMs),
      toMs: Number(q.toMs),
      limit: Number(q.limit ?? 10),
    });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  announceReady(`http://127.0.0.1:${port}`);
});
