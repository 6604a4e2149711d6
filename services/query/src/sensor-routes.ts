import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { alertRoutes } from './alert-routes.ts';
import { equipmentRoutes } from './equipment-routes.ts';
import { sensorMetricsRoutes } from './sensor-metrics-routes.ts';

/** The sensor stream's read API (issue 12), over a ClickHouse Reader (never a Writer). */
export const sensorQueryRoutes: HttpRoutes<{ reader: ClickHouseReader }> = async (app, { reader }) => {
  await app.register(equipmentRoutes, { reader });
  await app.register(sensorMetricsRoutes, { reader });
  await app.register(alertRoutes, { reader });
};
