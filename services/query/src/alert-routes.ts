import { type ClickHouseReader, querySensorAlertPage } from '@shopfloor/clickhouse';
import { errorResponseSchema } from '@shopfloor/contracts';
import { type HttpRoutes, keysetPage } from '@shopfloor/http-kit';
import { alertAnswer, alertHistoryResponseSchema, sensorAlertSchema } from '@shopfloor/sensors';
import { z } from 'zod';
import { alertCursor } from './alert-cursor.ts';
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
      const { rows, nextCursor } = await keysetPage(
        (fetchLimit) => fromStore(() => querySensorAlertPage(reader, { ...filters, limit: fetchLimit })),
        { limit, cursor: alertCursor, positionOf: (r) => ({ raisedAtMs: r.raisedAtMs, alertId: r.alertId }) },
      );
      return { alerts: rows.map(alertAnswer), nextCursor };
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
