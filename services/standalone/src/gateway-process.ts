// The gateway process of the split topology (SHOPFLOOR_TOPOLOGY=split), forked by
// startGatewayProcess: it serves HOST:PORT, answers POST /events/batch itself (validation, the
// produce to events.raw, the sync-answer wait) and forwards every other route to the pipeline
// process given as its argument. Batch outcomes arrive over IPC from the process that forked it.
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';
import { createGatewayService } from '@shopfloor/gateway';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka } from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, httpAuthOf } from '@shopfloor/key-log';
import { registryCodecs } from '@shopfloor/schema-registry';
import type { GatewayProcessMessage, ParentToGatewayMessage } from './gateway-process-protocol.ts';
import { lightLogger } from './light-logger.ts';
import { serveIngestForwardRest } from './route-forwarding.ts';

const upstream = new URL(process.argv[2] ?? '');
const config = loadConfig();
const log = lightLogger('shopfloor', config.LOG_LEVEL, 'gateway');
/** A start-up step that fails ends the process with exit 2 and the reason (as startOrExit of @shopfloor/ops). */
const orExit = async <T>(step: Promise<T>): Promise<T> => {
  try {
    return await step;
  } catch (err) {
    const { code, message } = err as Error & { code?: string };
    log.fatal(code ? { code } : {}, `gateway not started: ${message}`);
    process.exit(2);
  }
};
const auth = await orExit(authAtStartup(config));
const codecs = await orExit(
  registryCodecs({
    url: config.schemaRegistry.url,
    topics: config.topics,
    log: (line, fields) => log.info(fields ?? {}, line),
  }),
);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-gateway' });
const keyStore = await followKeysInto(auth, config, { kafka, codec: codecs.keys, log });
const gateway = await createGatewayService(config, { kafka, codecs, log, outcomesFrom: 'in-process' });
process.on('message', (m: ParentToGatewayMessage) => {
  if (m.type === 'outcomes') for (const r of m.records as OutcomeRecord[]) gateway.outcomes.ingest(r);
});
const app = createHttpApp({
  bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
  limits: config.http,
  ...httpAuthOf(keyStore, config),
  logger: log.child({ component: 'http' }, { level: 'warn' }),
  openapi: false,
});
await app.register(gateway.routes);
const closeForwarding = await serveIngestForwardRest(app, upstream);
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
stopOnSignals(log, stop, 10_000);
// The process that forked this one is gone: nothing relays outcomes any more, stop.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
