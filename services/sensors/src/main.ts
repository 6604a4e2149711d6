import { migrate, openClickHouse, reportDedupRepairs } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createConsumerLagReader, createKafka, ensureTopics, kafkaRequestCounts } from '@shopfloor/kafka';
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
import { checkProjectionAgainstLog } from '@shopfloor/ops/clickhouse';
import { registrySensorCodecs } from './sensor-codecs.ts';
import { createSensorService } from './sensor-service.ts';
import { sensorTopicSpecsOf, sensorTopics } from './sensor-topics.ts';

// The sensor stream in a process of its own: webhook, anomaly processor, projector and alert
// resolution. It owns the ClickHouse it projects into (embedded: this process's data dir, or a
// server with CLICKHOUSE_URL). Several processors scale out as separate processes in one group.
const config = loadConfig();
const log = createLogger({ name: 'sensors', level: config.LOG_LEVEL });
// The start-up rule first: a non-loopback HOST without a bootstrap key starts nothing.
const auth = await startOrExit(log, 'sensors', authAtStartup(config));
const topics = sensorTopics(config.SHOPFLOOR_TOPIC_PREFIX);
// The broker first: the schema registry keeps its schemas on it.
await brokerAtStartup(log, 'sensors', config);
const codecs = await startOrExit(
  log,
  'sensors',
  registrySensorCodecs({
    url: config.schemaRegistry.url,
    topics,
    log: (line, fields) => log.info(fields ?? {}, line),
  }),
);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-sensors' });
const clickhouse = await openClickHouse(config.clickhouse);
reportDedupRepairs(clickhouse.dedupRepairs, (fields, message) => log.warn(fields, message));
await migrate(clickhouse.writer);
const metrics = createShopfloorMetrics();
const sensors = createSensorService(config, {
  kafka,
  codecs,
  writer: clickhouse.writer,
  reader: clickhouse.reader,
  log,
  metrics: {
    sensor: metrics.sensor,
    projector: metrics.projectorOf('sensor'),
    alertProjector: metrics.projectorOf('sensor-alerts'),
  },
});
const { processor, projectors } = sensors.consumerGroups;
const lag = createConsumerLagReader(kafka, [processor, ...projectors]);
metrics.sampleConsumerLag(() => lag.read());
metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
// The topics exist before the projection is checked against them (start() creates them too).
await ensureTopics(kafka, sensorTopicSpecsOf(topics, config));
// Each projector (readings, alerts) against the log it projects.
for (const { groupId, topics: projected } of projectors)
  await startOrExit(
    log,
    'sensors',
    checkProjectionAgainstLog({
      kafka,
      brokers: config.kafka.brokers,
      writer: clickhouse.writer,
      topics: projected,
      groupId,
    }),
  );
await sensors.start();
// The key log's codec alone: this process reads no events topic, so no other subject is registered.
const keyCodec = await keyCodecAtStartup(log, 'sensors', config);
const keyStore = await followKeysInto(auth, config, { kafka, codec: keyCodec, log });
const app = createHttpApp({
  bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
  logger: log,
  limits: config.http,
  ...httpAuthOf(keyStore, config),
});
await app.register(metricsRoutes, { metrics });
await app.register(sensors.routes);
await app.register(probeRoutes, {
  probes: {
    broker: brokerReachable(config.kafka.brokers),
    topics: topicsPresent(kafka, Object.values(topics)),
    clickhouse: clickhouseAnswers(clickhouse),
    // The sensor member joined its group and restored the state of every partition it holds.
    sensors: restoreDone(
      () => sensors.runner()?.restoreProgress() ?? { joined: false, assigned: [], pending: [] },
    ),
  },
});
await app.listen({ host: config.HOST, port: config.PORT });

const shutdown = stopOnSignals(
  log,
  async () => {
    await app.close();
    await keyStore.stop();
    await lag.close();
    await sensors.stop();
    await clickhouse.close();
  },
  15_000,
);
exitWhenAMemberStops(log, [sensors.stopped, keyStore.stopped], shutdown);
