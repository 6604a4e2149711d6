import { openClickHouse } from '@shopfloor/clickhouse';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { createHttpApp } from '@shopfloor/http-kit';
import { createKafka } from '@shopfloor/kafka';
import { authAtStartup, authOff, followKeysInto, httpAuthOf } from '@shopfloor/key-log';
import { createShopfloorMetrics, metricsRoutes } from '@shopfloor/metrics';
import {
  clickhouseAnswers,
  createLogger,
  exitWhenAMemberStops,
  internalStatusRoutes,
  probeRoutes,
  startOrExit,
} from '@shopfloor/ops';
import { registryCodecs } from '@shopfloor/schema-registry';
import { createQueryService } from './query-service.ts';

// The query service on its own needs a ClickHouse server (CLICKHOUSE_URL): the embedded engine
// lives in one process, so with it the query API is served by the ClickHouse-owning process instead.
const config = loadConfig();
const log = createLogger({ name: 'query', level: config.LOG_LEVEL });
if (!config.CLICKHOUSE_URL) {
  log.fatal(
    'the query service alone needs CLICKHOUSE_URL; with embedded ClickHouse run services/projector, which serves the query API',
  );
  process.exit(2);
}
// The start-up rule first: a non-loopback HOST without a bootstrap key starts nothing.
const auth = await startOrExit(log, 'query service', authAtStartup(config));
// With auth on, the keys come from the key log: the only Kafka (and registry) this process uses.
const keyStore = auth.mode.enabled
  ? await followKeysInto(auth, config, {
      kafka: createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-query' }),
      // A registry that is down refuses the start with exit 2, like the other mains.
      codec: (
        await startOrExit(
          log,
          'query service',
          registryCodecs({ url: config.schemaRegistry.url, topics: config.topics }),
        )
      ).keys,
      log,
    })
  : authOff(auth, log);
const clickhouse = await openClickHouse(config.clickhouse);
const query = createQueryService(config, { reader: clickhouse.reader });
const app = createHttpApp({
  logger: log,
  limits: config.http,
  ...httpAuthOf(keyStore, config),
});
await app.register(metricsRoutes, { metrics: createShopfloorMetrics() });
await app.register(query.routes);
await app.register(internalStatusRoutes, { reader: clickhouse.reader });
await app.register(probeRoutes, {
  probes: {
    clickhouse: clickhouseAnswers(clickhouse),
  },
});
await app.listen({ host: config.HOST, port: config.PORT });
const shutdown = stopOnSignals(
  log,
  async () => {
    await app.close();
    await keyStore.stop();
    await clickhouse.close();
  },
  10_000,
);
exitWhenAMemberStops(log, [keyStore.stopped], shutdown);
