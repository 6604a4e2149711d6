import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka, ensureTopics, jsonCodecs, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { pino } from 'pino';
import { createGatewayService } from './gateway-service.ts';

const config = loadConfig();
const log = pino({ name: 'gateway', level: config.LOG_LEVEL });
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-gateway' });
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
const gateway = await createGatewayService(config, {
  kafka,
  codecs: jsonCodecs(),
  log,
  outcomesFrom: 'topic',
});
const app = createHttpApp({ bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES, logger: log });
await app.register(gateway.routes);
await app.listen({ host: config.HOST, port: config.PORT });

stopOnSignals(
  log,
  async () => {
    await app.close();
    await gateway.stop();
  },
  10_000,
);
