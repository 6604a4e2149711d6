import { openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { pino } from 'pino';
import { buildQueryApp } from './app.ts';

// The query service on its own needs a ClickHouse server (CLICKHOUSE_URL): the embedded engine
// lives in one process, so with it the query API is served by the projector process instead.
const config = loadConfig();
const log = pino({ name: 'query', level: config.LOG_LEVEL });
if (!config.CLICKHOUSE_URL) {
  log.fatal(
    'the query service alone needs CLICKHOUSE_URL; with embedded ClickHouse run services/projector, which serves the query API',
  );
  process.exit(2);
}
const clickhouse = await openClickHouse(config.clickhouse);
const app = await buildQueryApp({ reader: clickhouse.reader, logger: log });
await app.listen({ host: config.HOST, port: config.PORT });
stopOnSignals(
  log,
  async () => {
    await app.close();
    await clickhouse.close();
  },
  10_000,
);
