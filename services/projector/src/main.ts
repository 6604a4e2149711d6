import { startBiEndpoint } from '@shopfloor/bi-endpoint';
import { migrate, openClickHouse, recoverProjectionSwitch, reportDedupRepairs } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import {
  createConsumerLagReader,
  createKafka,
  ensureTopics,
  firstMemberStop,
  kafkaRequestCounts,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, httpAuthOf } from '@shopfloor/key-log';
import { createShopfloorMetrics } from '@shopfloor/metrics';
import {
  brokerAtStartup,
  brokerReachable,
  clickhouseAnswers,
  codecsAtStartup,
  createLogger,
  exitWhenAMemberStops,
  probeRoutes,
  startOrExit,
  topicsPresent,
} from '@shopfloor/ops';
import { checkProjectionAgainstLog } from '@shopfloor/ops/clickhouse';
import { buildQueryApp } from '@shopfloor/query';
import { createProjectorService } from './projector-service.ts';
import { createProjectorRebuildJob } from './rebuild-job.ts';
import { rebuildRoutes } from './rebuild-routes.ts';
import { winnerLookupRoutes } from './winner-lookup.ts';

// The ClickHouse-owning process: projects the log into ClickHouse and, since the embedded engine
// cannot be shared between processes, also serves the query API on PORT. This entry point is the
// only module of the package that knows the query service (through its public buildQueryApp): the
// projector library (src/index.ts) does not import it.
const config = loadConfig();
const log = createLogger({ name: 'projector', level: config.LOG_LEVEL });
// The start-up rule first: a non-loopback HOST without a bootstrap key starts nothing.
const auth = await startOrExit(log, 'projector', authAtStartup(config));
// The broker first: the schema registry keeps its schemas on it.
await brokerAtStartup(log, 'projector', config);
const codecs = await codecsAtStartup(log, 'projector', config);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-projector' });
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
const clickhouse = await openClickHouse(config.clickhouse);
reportDedupRepairs(clickhouse.dedupRepairs, (fields, message) => log.warn(fields, message));
const migrated = await migrate(clickhouse.writer);
log.info({ migrated, mode: clickhouse.mode }, 'ClickHouse ready');
const derivedTopics = [config.topics.changes, config.topics.deadLetter];
await startOrExit(
  log,
  'projector',
  checkProjectionAgainstLog({
    kafka,
    brokers: config.kafka.brokers,
    writer: clickhouse.writer,
    topics: derivedTopics,
    groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
  }),
);
const bi = config.bi
  ? await startBiEndpoint({ ...config.bi, dataDir: config.clickhouse.dataDir })
  : undefined;
if (bi) log.info({ url: bi.url, user: config.bi?.user }, 'BI endpoint (read-only ClickHouse HTTP) listening');
// A rebuild cut short inside its switch left the serving views dropped: restore them before inserting.
await recoverProjectionSwitch(clickhouse.writer);
const metrics = createShopfloorMetrics();
const lag = createConsumerLagReader(kafka, [
  { groupId: config.SHOPFLOOR_PROJECTOR_GROUP, topics: derivedTopics },
]);
metrics.sampleConsumerLag(() => lag.read());
metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
const projector = createProjectorService(config, {
  kafka,
  writer: clickhouse.writer,
  codecs,
  log,
  metrics: metrics.projector,
  memberIdDir: config.dirs.state,
});
await projector.start();
const keyStore = await followKeysInto(auth, config, { kafka, codec: codecs.keys, log });
const app = await buildQueryApp({
  reader: clickhouse.reader,
  logger: log,
  metrics,
  ...httpAuthOf(keyStore, config),
});
await app.register(winnerLookupRoutes, { reader: clickhouse.reader });
await app.register(rebuildRoutes, {
  job: createProjectorRebuildJob(config, { kafka, writer: clickhouse.writer, projector, codecs, log }),
});
await app.register(probeRoutes, {
  probes: {
    broker: brokerReachable(config.kafka.brokers),
    topics: topicsPresent(kafka, derivedTopics),
    clickhouse: clickhouseAnswers(clickhouse),
  },
});
await app.listen({ host: config.HOST, port: config.PORT });

const shutdown = stopOnSignals(
  log,
  async () => {
    await app.close();
    await keyStore.stop();
    await lag.close();
    await projector.stop();
    await bi?.stop();
    await clickhouse.close();
  },
  15_000,
);
exitWhenAMemberStops(log, [firstMemberStop({ projector: projector.stopped }), keyStore.stopped], shutdown);
