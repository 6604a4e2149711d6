import { migrate, openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka } from '@shopfloor/kafka';
import { createLogger, LogMismatchError } from '@shopfloor/ops';
import { createMetricEventsService } from './metric-events-service.ts';

// The metric-events stream in its own process: routes, processor and projector, against the broker
// (KAFKA_BROKERS), the registry (SCHEMA_REGISTRY_URL) and the ClickHouse it owns: a server
// (CLICKHOUSE_URL), or the embedded engine in SHOPFLOOR_DATA_DIR when no other process holds it
// (the all-in-one process serves this stream itself).
const config = loadConfig();
const log = createLogger({ name: 'metric-events', level: config.LOG_LEVEL });
const clickhouse = await openClickHouse(config.clickhouse);
await migrate(clickhouse.writer);
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-metric-events' });
const service = await createMetricEventsService(config, {
  kafka,
  registryUrl: config.schemaRegistry.url,
  clickhouse,
  log,
  brokers: config.kafka.brokers,
}).catch((err: Error) => {
  if (!(err instanceof LogMismatchError)) throw err;
  log.fatal(err.message);
  process.exit(3);
});
const app = createHttpApp({ bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES, limits: config.http, logger: log });
await app.register(service.routes);
await app.listen({ host: config.HOST, port: config.PORT });
stopOnSignals(
  log,
  async () => {
    await app.close();
    await service.stop();
    await clickhouse.close();
  },
  10_000,
);
