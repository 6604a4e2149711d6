import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { httpAuthOf } from '@shopfloor/key-log';
import { metricsRoutes } from '@shopfloor/metrics';
import {
  brokerReachable,
  createLogger,
  exitWhenAMemberStops,
  probeRoutes,
  topicsPresent,
} from '@shopfloor/ops';
import { startGatewayProcessParts } from './gateway-process-startup.ts';

const config = loadConfig();
const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
const { kafka, keyStore, metrics, gateway } = await startGatewayProcessParts(config, log, {
  outcomesFrom: 'topic',
  ensureTopics: true,
});
const app = createHttpApp({
  bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
  logger: log,
  limits: config.http,
  ...httpAuthOf(keyStore, config),
});
await app.register(metricsRoutes, { metrics });
await app.register(gateway.routes);
await app.register(probeRoutes, {
  probes: {
    broker: brokerReachable(config.kafka.brokers),
    topics: topicsPresent(kafka, [config.topics.raw, config.topics.deadLetter, config.topics.outcomes]),
  },
});
await app.listen({ host: config.HOST, port: config.PORT });

const shutdown = stopOnSignals(
  log,
  async () => {
    await app.close();
    await gateway.stop();
    await keyStore.stop();
  },
  10_000,
);
exitWhenAMemberStops(log, [gateway.stopped, keyStore.stopped], shutdown);
