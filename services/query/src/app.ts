import type { KeyRing } from '@shopfloor/auth';
import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { metricsRoutes, type ShopfloorMetrics } from '@shopfloor/metrics';
import { internalStatusRoutes } from '@shopfloor/ops';
import type { Logger } from 'pino';
import { queryRoutes } from './query-routes.ts';
import { sensorQueryRoutes } from './sensor-routes.ts';

/** The query routes alone, not listening (tests use inject()). It gets a ClickHouse Reader, never a Writer. */
export async function buildQueryApp(deps: {
  reader: ClickHouseReader;
  logger?: Logger;
  /** GET /metrics and the latency of every route of this app. */
  metrics?: ShopfloorMetrics;
  /** API keys (auth on); none: auth off. */
  keys?: KeyRing;
  rateLimitPerMinute?: number;
}): Promise<HttpApp> {
  const app = createHttpApp({
    ...(deps.logger ? { logger: deps.logger } : {}),
    ...(deps.keys ? { keys: deps.keys } : {}),
    ...(deps.rateLimitPerMinute ? { rateLimitPerMinute: deps.rateLimitPerMinute } : {}),
  });
  if (deps.metrics) await app.register(metricsRoutes, { metrics: deps.metrics });
  await app.register(queryRoutes, { reader: deps.reader });
  await app.register(sensorQueryRoutes, { reader: deps.reader });
  await app.register(internalStatusRoutes, { reader: deps.reader });
  return app;
}
