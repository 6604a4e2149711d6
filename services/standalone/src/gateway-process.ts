// The gateway process of the split topology (SHOPFLOOR_TOPOLOGY=split), forked by
// startGatewayProcess: it serves HOST:PORT, answers POST /events/batch itself (validation, the
// produce to events.raw, the sync-answer wait) and forwards every other route to the pipeline
// process given as its argument. Batch outcomes arrive over IPC from the process that forked it;
// its count of waiting requests goes back the same way.
// `GET /metrics` and `/openapi.json` are its own completed with the pipeline's, so the one port
// answers as the single topology's does. It imports nothing that opens ClickHouse (no chdb here).
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';
import { startGatewayProcessParts } from '@shopfloor/gateway';
import { createHttpApp, type OpenApiDocument } from '@shopfloor/http-kit';
import { httpAuthOf } from '@shopfloor/key-log';
import { type MetricsSnapshot, metricsRoutes, SNAPSHOT_CONTENT_TYPE } from '@shopfloor/metrics';
import { createLogger, exitWhenAMemberStops } from '@shopfloor/ops';
import type { GatewayProcessMessage, ParentToGatewayMessage } from './gateway-process-protocol.ts';
import { readFromPipeline } from './pipeline-reads.ts';
import type { QueryRoute } from './query-thread-protocol.ts';
import { serveHereForwardRest } from './route-forwarding.ts';

const upstream = new URL(process.argv[2] ?? '');
// The pipeline process's query thread, if it runs one: its routes go there (argv[3], JSON).
const queryThread = process.argv[3]
  ? (JSON.parse(process.argv[3]) as { url: string; routes: QueryRoute[] })
  : undefined;
const config = loadConfig();
const log = createLogger({ name: 'shopfloor', level: config.LOG_LEVEL }).child({ component: 'gateway' });
// The pipeline process made the topics before this process was forked.
const { keyStore, metrics, gateway } = await startGatewayProcessParts(config, log, {
  outcomesFrom: 'in-process',
  ensureTopics: false,
});
process.on('message', (m: ParentToGatewayMessage) => {
  if (m.type === 'outcomes') for (const r of m.records as OutcomeRecord[]) gateway.outcomes.ingest(r);
});
// The projector (in the pipeline process) shortens its fetch and window while exactly one request
// waits; only this process knows who waits, so the count goes to the parent, which relays it.
gateway.outcomes.onPendingChange((waiting) => {
  if (process.connected) process.send?.({ type: 'demand', waiting } satisfies GatewayProcessMessage);
});
const app = createHttpApp({
  bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
  limits: config.http,
  ...httpAuthOf(keyStore, config),
  logger: log.child({ component: 'http' }, { level: 'warn' }),
  openapiMergeFrom: async () =>
    (await readFromPipeline(upstream, '/openapi.json', 'application/json')) as OpenApiDocument,
});
await app.register(metricsRoutes, {
  metrics,
  mergeFrom: async () =>
    (await readFromPipeline(upstream, '/metrics', SNAPSHOT_CONTENT_TYPE)) as MetricsSnapshot,
});
await app.register(gateway.routes);
// The pipeline process serves with the same configuration, so its keep-alive timeout is ours.
const closeForwarding = await serveHereForwardRest(
  app,
  upstream,
  {
    upstreamKeepAliveMs: config.http.keepAliveTimeoutMs,
    onError: (err, req) =>
      log.warn(
        { err: err.message, code: (err as NodeJS.ErrnoException).code, method: req.method, url: req.url },
        'forwarding to the pipeline process failed: answered 503',
      ),
  },
  queryThread && { url: new URL(queryThread.url), routes: queryThread.routes },
);
await app.listen({ host: config.HOST, port: config.PORT });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.PORT;
process.send?.({ type: 'ready', url: `http://${config.HOST}:${port}` } satisfies GatewayProcessMessage);

const stop = async () => {
  await app.close();
  closeForwarding();
  await gateway.stop();
  await keyStore.stop();
};
const shutdown = stopOnSignals(log, stop, 10_000);
// Its key follower stopped for good: exit, and the supervisor starts another gateway process.
exitWhenAMemberStops(log, [gateway.stopped, keyStore.stopped], shutdown);
// The process that forked this one is gone: nothing relays outcomes any more, stop.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
