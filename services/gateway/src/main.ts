import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createIdempotentProducer, createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { brokerReachable, createLogger, probeRoutes, topicsPresent } from '@shopfloor/ops';
import { buildGatewayApp } from './app.ts';
import { kafkaBatchPublisher } from './batch-publisher.ts';
import { listenForOutcomes } from './outcome-listener.ts';
import { OutcomeTracker } from './outcome-tracker.ts';

const config = loadConfig();
const log = createLogger({ name: 'gateway', level: config.LOG_LEVEL });
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-gateway' });
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
const producer = createIdempotentProducer(kafka);
await producer.connect();
const outcomes = new OutcomeTracker();
const listener = await listenForOutcomes(kafka, config.topics.outcomes, outcomes, log);
const app = await buildGatewayApp(
  {
    maxBodyBytes: config.SHOPFLOOR_MAX_BODY_BYTES,
    maxBatchEvents: config.SHOPFLOOR_MAX_BATCH_EVENTS,
    syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
    maxInflightEvents: config.SHOPFLOOR_MAX_INFLIGHT_EVENTS,
  },
  {
    publisher: kafkaBatchPublisher(producer, config.topics, config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS),
    outcomes,
    logger: log,
  },
);
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
    await listener.stop();
    await producer.disconnect();
  },
  10_000,
);
