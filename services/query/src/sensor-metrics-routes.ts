import {
  type ClickHouseReader,
  querySensorProductionByEquipment,
  querySensorProductionHours,
  querySensorTypeTotals,
} from '@shopfloor/clickhouse';
import { errorResponseSchema } from '@shopfloor/contracts';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { productionMetricsResponseSchema, sensorTypesResponseSchema } from '@shopfloor/sensors';
import { productionMetrics, sensorTypesAnswer } from './metrics-answers.ts';
import { fromStore } from './query-routes.ts';
import { productionQuerySchema } from './sensor-query-params.ts';

const errors = { 400: errorResponseSchema, 503: errorResponseSchema };
const tags = ['sensors'];

/** `/api/metrics/production` and `/api/sensors/types`, from the rollups and the series table. */
export const sensorMetricsRoutes: HttpRoutes<{ reader: ClickHouseReader }> = async (app, { reader }) => {
  app.get(
    '/api/metrics/production',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'Readings per hour, anomaly rate, share of minutes with readings per equipment',
        querystring: productionQuerySchema,
        response: { 200: productionMetricsResponseSchema, ...errors },
      },
    },
    async (request) => {
      const window = request.query;
      const [hours, equipment] = await fromStore(() =>
        Promise.all([
          querySensorProductionHours(reader, window),
          querySensorProductionByEquipment(reader, window),
        ]),
      );
      return productionMetrics(window, hours, equipment);
    },
  );

  app.get(
    '/api/sensors/types',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'The sensor types a reading may carry, their default units, equipment and readings',
        response: { 200: sensorTypesResponseSchema, ...errors },
      },
    },
    async () => sensorTypesAnswer(await fromStore(() => querySensorTypeTotals(reader))),
  );
};
