import { startBiEndpoint } from '@shopfloor/bi-endpoint';
import { migrate, openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { buildQueryApp } from '@shopfloor/query';
import { pino } from 'pino';
import { startProjector } from './projector-runner.ts';
import { winnerLookupRoutes } from './winner-lookup.ts';

// The ClickHouse-owning process: projects the log into ClickHouse and, since the embedded engine
// cannot be shared between processes, also serves the query API on PORT.
const config = loadConfig();
const log = pino({ name: 'projector', level: config.LOG_LEVEL });
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-projector' });
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
const clickhouse = await openClickHouse(config.clickhouse);
const migrated = await migrate(clickhouse.writer);
log.info({ migrated, mode: clickhouse.mode }, 'ClickHouse ready');
const bi = config.bi
  ? await startBiEndpoint({ ...config.bi, dataDir: config.clickhouse.dataDir })
  : undefined;
if (bi) log.info({ url: bi.url, user: config.bi?.user }, 'BI endpoint (read-only ClickHouse HTTP) listening');
const projector = await startProjector({
  kafka,
  writer: clickhouse.writer,
  topics: config.topics,
  groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
  sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
  log,
});
const app = await buildQueryApp({ reader: clickhouse.reader, logger: log });
await app.register(winnerLookupRoutes, { reader: clickhouse.reader });
await app.listen({ host: config.HOST, port: config.PORT });

stopOnSignals(
  log,
  async () => {
    await app.close();
    await projector.stop();
    await bi?.stop();
    await clickhouse.close();
  },
  15_000,
);
