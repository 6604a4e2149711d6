// Child process: the direct-write baseline. The same HTTP API (the gateway's routes and the query
// routes) on the same embedded ClickHouse, but batches are deduped and inserted in-process instead
// of going through Kafka.
import path from 'node:path';
import { type ClickHouseHandle, migrate, openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig } from '@shopfloor/config';
import { lmdbStateStores, type StateStoreFactory } from '@shopfloor/dedupe';
import { gatewayRoutes } from '@shopfloor/gateway';
import { createHttpApp, type HttpApp, OutcomeTracker } from '@shopfloor/http-kit';
import { queryRoutes } from '@shopfloor/query';
import { announceReady, runChild, serveParent } from './child-protocol.ts';
import { type DirectWriteCounters, directWritePublisher } from './direct-write-publisher.ts';
import { readEngineCounters } from './engine-activity.ts';

const dataDir = process.env.BENCH_DATA_DIR;
if (!dataDir) throw new Error('BENCH_DATA_DIR is required');

let clickhouse: ClickHouseHandle | undefined;
let stores: StateStoreFactory | undefined;
let app: HttpApp | undefined;
let counters: DirectWriteCounters | undefined;
serveParent(
  {
    counters: () => ({ direct: { ...counters } }),
    memory: () => process.memoryUsage(),
    engineCounters: () => (clickhouse ? readEngineCounters(clickhouse.reader) : undefined),
  },
  async () => {
    await app?.close();
    await stores?.close();
    await clickhouse?.close();
  },
);
await runChild(async () => {
  // The engine's merge threads at the pipeline's priority, so the two compare on the same engine.
  const { mergeThreadsNice } = loadConfig(process.env).clickhouse.engine;
  clickhouse = await openClickHouse({
    dataDir: path.join(dataDir, 'clickhouse'),
    engine: { mergeThreadsNice },
  });
  await migrate(clickhouse.writer);
  stores = lmdbStateStores(path.join(dataDir, 'state'));
  const outcomes = new OutcomeTracker();
  const publisher = directWritePublisher({ writer: clickhouse.writer, store: stores.open(0), outcomes });
  counters = publisher.counters;
  const server = createHttpApp({ bodyLimit: 16 * 1024 * 1024 });
  app = server;
  await server.register(gatewayRoutes, {
    maxBatchEvents: 10_000,
    syncTimeoutMs: 10_000,
    publisher,
    outcomes,
  });
  await server.register(queryRoutes, { reader: clickhouse.reader });
  await server.listen({ host: '127.0.0.1', port: 0 });
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  announceReady(`http://127.0.0.1:${port}`);
});
