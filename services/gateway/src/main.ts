import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, httpAuthOf } from '@shopfloor/key-log';
import { createShopfloorMetrics, metricsRoutes } from '@shopfloor/metrics';
import {
  brokerReachable,
  codecsAtStartup,
  createLogger,
  probeRoutes,
  startOrExit,
  topicsPresent,
} from '@shopfloor/ops';
import { createGatewayService } from './gateway-service.ts';

const config = loadConfig();
const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
// The start-up rule first: a non-loopback HOST without a bootstrap key starts nothing.
const auth = await startOrExit(log, 'gateway', authAtStartup(config));
const codecs = await codecsAtStartup(log, 'gateway', config);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-gateway' });
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
const keyStore = await followKeysInto(auth, config, { kafka, codec: codecs.keys, log });
const metrics = createShopfloorMetrics();
const gateway = await createGatewayService(config, {
  kafka,
  codecs,
  log,
  outcomesFrom: 'topic',
  metrics: metrics.gateway,
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

stopOnSignals(
  log,
  async () => {
    await app.close();
    await gateway.stop();
    await keyStore.stop();
  },
  10_000,
);
