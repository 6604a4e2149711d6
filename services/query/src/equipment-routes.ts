import {
  type ClickHouseReader,
  queryOpenAlertSeverities,
  querySensorAlertPage,
  querySensorHistory,
  querySensorSeries,
} from '@shopfloor/clickhouse';
import { errorResponseSchema, formatInstant } from '@shopfloor/contracts';
import { HttpError, type HttpRoutes } from '@shopfloor/http-kit';
import {
  equipmentStatusResponseSchema,
  equipmentSummarySchema,
  sensorHistoryResponseSchema,
} from '@shopfloor/sensors';
import { z } from 'zod';
import { equipmentList, equipmentStatusAnswer } from './equipment-answers.ts';
import { historyBucket, minuteWindow } from './metrics-answers.ts';
import { fromStore } from './query-routes.ts';
import {
  equipmentListQuerySchema,
  equipmentParamsSchema,
  sensorHistoryQuerySchema,
} from './sensor-query-params.ts';

const errors = { 400: errorResponseSchema, 404: errorResponseSchema, 503: errorResponseSchema };
const tags = ['sensors'];
/** The open alerts the status answer lists (it counts all of them). */
const STATUS_OPEN_ALERTS = 100;

const unknownEquipment = (id: string) =>
  new HttpError(
    'NOT_FOUND',
    `No equipment ${JSON.stringify(id)}: equipment is registered by its first processed reading`,
  );

/** `/api/equipment…`: the equipment registered by its readings, its status and sensor history. */
export const equipmentRoutes: HttpRoutes<{ reader: ClickHouseReader }> = async (app, { reader }) => {
  app.get(
    '/api/equipment',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'Equipment registered by its readings, with its status (OK, WARNING, CRITICAL)',
        querystring: equipmentListQuerySchema,
        response: { 200: z.array(equipmentSummarySchema), ...errors },
      },
    },
    async (request) => {
      const [series, severities] = await fromStore(() =>
        Promise.all([querySensorSeries(reader), queryOpenAlertSeverities(reader)]),
      );
      return equipmentList(series, severities, request.query.status);
    },
  );

  app.get(
    '/api/equipment/:id/status',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'Latest value per sensor, open alerts, last seen and status of one piece of equipment',
        params: equipmentParamsSchema,
        response: { 200: equipmentStatusResponseSchema, ...errors },
      },
    },
    async (request) => {
      const equipmentId = request.params.id;
      const [series, severities, open] = await fromStore(() =>
        Promise.all([
          querySensorSeries(reader, { equipmentId }),
          queryOpenAlertSeverities(reader, { equipmentId }),
          querySensorAlertPage(reader, { equipmentId, status: 'OPEN', limit: STATUS_OPEN_ALERTS }),
        ]),
      );
      const answer = equipmentStatusAnswer(series, severities, open);
      if (answer === null) throw unknownEquipment(equipmentId);
      return answer;
    },
  );

  app.get(
    '/api/equipment/:id/sensor-history',
    {
      config: { access: 'read-stats' },
      schema: {
        tags,
        summary: 'min / avg / max / count of one sensor per bucket, from the minute rollups',
        params: equipmentParamsSchema,
        querystring: sensorHistoryQuerySchema,
        response: { 200: sensorHistoryResponseSchema, ...errors },
      },
    },
    async (request) => {
      const equipmentId = request.params.id;
      const q = request.query;
      const window = minuteWindow(q.fromMs, q.toMs);
      const series = await fromStore(() => querySensorSeries(reader, { equipmentId }));
      if (series.length === 0) throw unknownEquipment(equipmentId);
      const buckets = await fromStore(() =>
        querySensorHistory(reader, {
          equipmentId,
          sensorType: q.sensorType,
          ...window,
          bucketMinutes: q.bucketMinutes,
        }),
      );
      return {
        equipmentId,
        sensorType: q.sensorType,
        bucket: q.bucket,
        from: formatInstant(window.fromMs),
        to: formatInstant(window.toMs),
        buckets: buckets.map(historyBucket),
      };
    },
  );
};
