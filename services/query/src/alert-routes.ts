import { type ClickHouseReader, querySensorAlertPage } from '@shopfloor/clickhouse';
import { errorResponseSchema } from '@shopfloor/contracts';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { alertHistoryResponseSchema, sensorAlertSchema } from '@shopfloor/sensors';
import { z } from 'zod';
import { alertAnswer } from './alert-answers.ts';
import { encodeAlertCursor } from './alert-cursor.ts';
import { fromStore } from './query-routes.ts';
import { alertHistoryQuerySchema, criticalAlertsQuerySchema } from './sensor-query-params.ts';

const errors = { 400: errorResponseSchema, 503: errorResponseSchema };
const tags = ['sensors'];

/** `/api/alerts/history` (cursor pages, newest first) and `/api/alerts/critical` (open CRITICAL). */
export const alertRoutes: HttpRoutes<{ reader: ClickHouseReader }> = async (app, { reader }) => {
  app.get(
    '/api/alerts/history',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'Alerts newest first (by raisedAt, then alertId), filtered, in cursor pages',
        querystring: alertHistoryQuerySchema,
        response: { 200: alertHistoryResponseSchema, ...errors },
      },
    },
    async (request) => {
      const { limit, ...filters } = request.query;
      // One row more than the page tells whether there is a next page without a count query.
      const rows = await fromStore(() => querySensorAlertPage(reader, { ...filters, limit: limit + 1 }));
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      return {
        alerts: page.map(alertAnswer),
        nextCursor:
          rows.length > limit && last
            ? encodeAlertCursor({ raisedAtMs: last.raisedAtMs, alertId: last.alertId })
            : null,
      };
    },
  );

  app.get(
    '/api/alerts/critical',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'Open CRITICAL alerts, newest first',
        querystring: criticalAlertsQuerySchema,
        response: { 200: z.array(sensorAlertSchema), ...errors },
      },
    },
    async (request) => {
      const { equipmentId, limit } = request.query;
      const rows = await fromStore(() =>
        querySensorAlertPage(reader, { equipmentId, severity: 'CRITICAL', status: 'OPEN', limit }),
      );
      return rows.map(alertAnswer);
    },
  );
};
