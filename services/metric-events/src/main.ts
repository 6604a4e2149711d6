import { migrate, openClickHouse, reportDedupRepairs } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createConsumerLagReader, createKafka, kafkaRequestCounts } from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, httpAuthOf } from '@shopfloor/key-log';
import { createShopfloorMetrics, metricsRoutes } from '@shopfloor/metrics';
import {
  brokerAtStartup,
  brokerReachable,
  clickhouseAnswers,
  createLogger,
  exitWhenAMemberStops,
  keyCodecAtStartup,
  probeRoutes,
  restoreDone,
  startOrExit,
  topicsPresent,
} from '@shopfloor/ops';
import { createMetricEventsService } from './metric-events-service.ts';

// The metric-events stream in its own process: routes, processor and projector, against the broker
// (KAFKA_BROKERS), the registry (SCHEMA_REGISTRY_URL) and the ClickHouse it owns: a server
// (CLICKHOUSE_URL), or the embedded engine in SHOPFLOOR_DATA_DIR when no other process holds it
// (the all-in-one process serves this stream itself).
const config = loadConfig();
const log = createLogger({ name: 'metric-events', level: config.LOG_LEVEL });
// The start-up rule first: a non-loopback HOST without a bootstrap key starts nothing.
const auth = await startOrExit(log, 'metric-events', authAtStartup(config));
const clickhouse = await openClickHouse(config.clickhouse);
reportDedupRepairs(clickhouse.dedupRepairs, (fields, message) => log.warn(fields, message));
await migrate(clickhouse.writer);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-metric-events' });
await brokerAtStartup(log, 'metric-events', config);
const metrics = createShopfloorMetrics();
// Refuses like the other mains: a log that is not the projection's exits 3 (with the command that
// fixes it), any other start-up failure (registry refused or unreachable, tables missing) exits 2.
const service = await startOrExit(
  log,
  'metric-events',
  createMetricEventsService(config, {
    kafka,
    brokers: config.kafka.brokers,
    registryUrl: config.schemaRegistry.url,
    clickhouse,
    log,
    metrics: { metricEvents: metrics.metricEvents, projector: metrics.projectorOf('metric-events') },
  }),
);
const lag = createConsumerLagReader(kafka, service.consumerGroups);
metrics.sampleConsumerLag(() => lag.read());
metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
// The key log's codec alone: this process reads no events topic, so no other subject is registered.
const keyCodec = await keyCodecAtStartup(log, 'metric-events', config);
const keyStore = await followKeysInto(auth, config, { kafka, codec: keyCodec, log });
const app = createHttpApp({
  bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
  limits: config.http,
  logger: log,
  ...httpAuthOf(keyStore, config),
});
await app.register(metricsRoutes, { metrics });
await app.register(service.routes);
await app.register(probeRoutes, {
  probes: {
    broker: brokerReachable(config.kafka.brokers),
    topics: topicsPresent(kafka, Object.values(service.topics)),
    clickhouse: clickhouseAnswers(clickhouse),
    // The processor member joined its group and restored the state of every partition it holds.
    metricEvents: restoreDone(() => service.processor.restoreProgress()),
  },
});
await app.listen({ host: config.HOST, port: config.PORT });

const shutdown = stopOnSignals(
  log,
  async () => {
    await app.close();
    await keyStore.stop();
    await lag.close();
    await service.stop();
    await clickhouse.close();
  },
  10_000,
);
exitWhenAMemberStops(log, [service.stopped, keyStore.stopped], shutdown);
