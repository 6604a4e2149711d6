import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { queryRoutes } from './query-routes.ts';
import { sensorQueryRoutes } from './sensor-routes.ts';

export interface QueryDeps {
  /** Read-only access to ClickHouse: the query service never writes. */
  reader: ClickHouseReader;
}

export interface QueryService {
  /** The statistics routes and the sensor read API, bound to the reader: register them on an HttpApp. */
  readonly routes: HttpRoutes;
}

/**
 * The query service's wiring, written once: its main and the all-in-one process both call it. It
 * holds nothing to release; the ClickHouse handle belongs to whoever opened it. `config` is taken
 * for the same shape as the other services (the routes need none of it today).
 */
export function createQueryService(_config: ShopfloorConfig, deps: QueryDeps): QueryService {
  return {
    routes: async (app) => {
      await app.register(queryRoutes, { reader: deps.reader });
      await app.register(sensorQueryRoutes, { reader: deps.reader });
    },
  };
}
