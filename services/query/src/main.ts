import { openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { pino } from 'pino';
import { createQueryService } from './query-service.ts';

// The query service on its own needs a ClickHouse server (CLICKHOUSE_URL): the embedded engine
// lives in one process, so with it the query API is served by the ClickHouse-owning process instead.
const config = loadConfig();
const log = pino({ name: 'query', level: config.LOG_LEVEL });
if (!config.CLICKHOUSE_URL) {
  log.fatal(
    'the query service alone needs CLICKHOUSE_URL; with embedded ClickHouse run services/projector, which serves the query API',
  );
  process.exit(2);
}
const clickhouse = await openClickHouse(config.clickhouse);
const query = createQueryService(config, { reader: clickhouse.reader });
const app = createHttpApp({ logger: log });
await app.register(query.routes);
await app.listen({ host: config.HOST, port: config.PORT });
stopOnSignals(
  log,
  async () => {
    await app.close();
    await clickhouse.close();
  },
  10_000,
);
