import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { installErrorHandling } from '@shopfloor/http-kit';
import { internalStatusRoutes } from '@shopfloor/ops';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { queryRoutes } from './query-routes.ts';

/** The query service alone, not listening. It gets a ClickHouse Reader, never a Writer. */
export async function buildQueryApp(deps: {
  reader: ClickHouseReader;
  logger?: Logger;
}): Promise<FastifyInstance> {
  const app = Fastify(deps.logger ? { loggerInstance: deps.logger } : {}) as unknown as FastifyInstance;
  installErrorHandling(app);
  await app.register(queryRoutes, { reader: deps.reader });
  await app.register(internalStatusRoutes, { reader: deps.reader });
  return app;
}
