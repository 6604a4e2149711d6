// The query thread (a worker thread of the pipeline process, started by query-thread.ts): the query
// service's routes on a loopback port of their own, reading the process's embedded engine through
// sessions of its own, so a dashboard's or a poller's read never waits for the pipeline's JS thread.
// It follows the API keys as every process that serves HTTP does.
//
// Never `process.exit` here: in a worker that ends the thread, and a thread that loaded chdb takes
// the process's engine down with it (query-thread.ts). Failures are reported to the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { openEmbeddedReader } from '@shopfloor/clickhouse';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka } from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, httpAuthOf, type KeyStore } from '@shopfloor/key-log';
import { observeHttpRequests } from '@shopfloor/metrics';
import { createLogger } from '@shopfloor/ops';
import { createQueryService } from '@shopfloor/query';
import { registryKeyCodec } from '@shopfloor/schema-registry';
import type {
  MainToQueryThreadMessage,
  QueryRoute,
  QueryThreadData,
  QueryThreadMessage,
} from './query-thread-protocol.ts';

const port = parentPort;
if (!port) throw new Error('query-thread-main.ts runs as a worker thread (query-thread.ts)');
const send = (m: QueryThreadMessage) => port.postMessage(m);
const { config, paramLock } = workerData as QueryThreadData;
const log = createLogger({ name: 'shopfloor', level: config.LOG_LEVEL }).child({ component: 'query-thread' });

const stops: (() => Promise<unknown>)[] = [];
const stop = async () => {
  for (const s of stops.splice(0).reverse()) await s().catch((err: Error) => log.warn({ err }, 'stopping'));
};
port.on('message', (m: MainToQueryThreadMessage) => {
  if (m.type === 'stop') void stop().then(() => send({ type: 'stopped' }));
});

try {
  const auth = await authAtStartup(config);
  const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-query' });
  const keyCodec = await registryKeyCodec({ url: config.schemaRegistry.url, topics: config.topics });
  const keyStore: KeyStore = await followKeysInto(auth, config, { kafka, codec: keyCodec, log });
  stops.push(() => keyStore.stop());
  const engine = await openEmbeddedReader({
    dataDir: config.clickhouse.dataDir,
    database: config.clickhouse.database,
    sessions: Math.max(1, config.clickhouse.readSessions),
    paramLock,
  });
  stops.push(() => engine.close());
  const app = createHttpApp({
    bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
    limits: config.http,
    ...httpAuthOf(keyStore, config),
    logger: log.child({ component: 'http' }, { level: 'warn' }),
  });
  // Its requests count in the process's request metric, which the main thread keeps (and /metrics answers).
  observeHttpRequests(app, (request) => send({ type: 'http', ...request }));
  const routes: QueryRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) routes.push({ method, url: r.url });
  });
  await app.register(createQueryService(config, { reader: engine.reader }).routes);
  await app.listen({ host: '127.0.0.1', port: 0 });
  stops.push(() => app.close());
  const address = app.server.address();
  const listening = typeof address === 'object' && address ? address.port : 0;
  log.info({ url: `http://127.0.0.1:${listening}`, routes: routes.length }, 'query thread serving');
  send({ type: 'ready', port: listening, routes });
} catch (err) {
  await stop();
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
}
