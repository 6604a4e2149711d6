import { cursorParam } from '@shopfloor/http-kit';
import { EQUIPMENT_STATUSES, SENSOR_HISTORY_BUCKETS, SENSOR_TYPES, SEVERITIES } from '@shopfloor/sensors';
import { z } from 'zod';
import { alertCursor } from './alert-cursor.ts';
import { firstValues, id, instant } from './query-params.ts';

// The query strings of the sensor read API. Every problem is one 400 INVALID_QUERY whose message
// names the parameter and what it got (http-kit joins the messages).

const MS_PER_MINUTE = 60_000;
/** The most buckets one sensor-history answer holds. */
export const MAX_HISTORY_BUCKETS = 10_000;
/** The longest production-metrics window: a calendar month of hourly rows. */
export const MAX_PRODUCTION_WINDOW_MS = 31 * 24 * 3_600_000;

const oneOf = <const T extends readonly [string, ...string[]]>(name: string, values: T) =>
  z.enum(values, {
    error: (issue) =>
      issue.input === undefined
        ? `${name} is required`
        : `${name} must be one of ${values.join(', ')} (got ${JSON.stringify(issue.input)})`,
  });

const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  z
    .string()
    .optional()
    .transform((s, ctx) => {
      if (s === undefined) return fallback;
      if (!/^\d+$/.test(s) || Number(s) < min || Number(s) > max) {
        ctx.addIssue({
          code: 'custom',
          message: `${name} must be a whole number from ${min} to ${max} (got ${JSON.stringify(s)})`,
        });
        return z.NEVER;
      }
      return Number(s);
    });

const toNotBeforeFrom = (v: { fromMs?: number; toMs?: number }, ctx: z.RefinementCtx) => {
  if (v.fromMs !== undefined && v.toMs !== undefined && v.toMs < v.fromMs)
    ctx.addIssue({ code: 'custom', message: 'to must not be before from' });
};

/** `GET /api/equipment?status=`. */
export const equipmentListQuerySchema = z.preprocess(
  firstValues,
  z.object({ status: oneOf('status', EQUIPMENT_STATUSES).optional() }),
);

/** `/api/equipment/:id/…`. */
export const equipmentParamsSchema = z.object({ id: id('equipment id') });

/** `GET /api/equipment/:id/sensor-history?sensorType&from&to&bucket` (bucket defaults to 1h). */
export const sensorHistoryQuerySchema = z.preprocess(
  firstValues,
  z
    .object({
      sensorType: oneOf('sensorType', SENSOR_TYPES),
      from: instant('from'),
      to: instant('to'),
      bucket: oneOf('bucket', Object.keys(SENSOR_HISTORY_BUCKETS) as [keyof typeof SENSOR_HISTORY_BUCKETS])
        .optional()
        .default('1h')
        .describe('Bucket size (default 1h); a bucket starts on a multiple of its size since midnight UTC'),
    })
    .transform((q) => ({
      sensorType: q.sensorType,
      fromMs: q.from.ms,
      toMs: q.to.ms,
      bucket: q.bucket,
      bucketMinutes: SENSOR_HISTORY_BUCKETS[q.bucket],
    }))
    .superRefine((v, ctx) => {
      toNotBeforeFrom(v, ctx);
      const buckets = Math.ceil((v.toMs - v.fromMs) / (v.bucketMinutes * MS_PER_MINUTE));
      if (buckets > MAX_HISTORY_BUCKETS)
        ctx.addIssue({
          code: 'custom',
          message: `the window holds ${buckets} buckets of ${v.bucket}, at most ${MAX_HISTORY_BUCKETS}: use a larger bucket or a shorter window`,
        });
    }),
);

/** `GET /api/metrics/production?from&to`: at most 31 days. */
export const productionQuerySchema = z.preprocess(
  firstValues,
  z
    .object({ from: instant('from'), to: instant('to') })
    .transform((q) => ({ fromMs: q.from.ms, toMs: q.to.ms }))
    .superRefine((v, ctx) => {
      toNotBeforeFrom(v, ctx);
      if (v.toMs - v.fromMs > MAX_PRODUCTION_WINDOW_MS)
        ctx.addIssue({ code: 'custom', message: 'the window from..to must be at most 31 days' });
    }),
);

const cursor = cursorParam(
  alertCursor,
  'cursor is not one this API gave out: pass the nextCursor of the previous page as is',
);

/** `GET /api/alerts/history?equipmentId&severity&status&from&to&cursor&limit` (limit 1-500, default 50). */
export const alertHistoryQuerySchema = z.preprocess(
  firstValues,
  z
    .object({
      equipmentId: id('equipmentId').optional(),
      severity: oneOf('severity', SEVERITIES).optional(),
      status: oneOf('status', ['OPEN', 'RESOLVED']).optional(),
      from: instant('from').optional(),
      to: instant('to').optional(),
      cursor: cursor.optional().describe('The nextCursor of the previous page, as is'),
      limit: wholeNumber('limit', 1, 500, 50),
    })
    .transform(({ from, to, cursor: after, ...rest }) => ({
      ...rest,
      ...(from === undefined ? {} : { fromMs: from.ms }),
      ...(to === undefined ? {} : { toMs: to.ms }),
      ...(after === undefined ? {} : { after }),
    }))
    .superRefine(toNotBeforeFrom),
);

/** `GET /api/alerts/critical?equipmentId&limit` (limit 1-1000, default 100). */
export const criticalAlertsQuerySchema = z.preprocess(
  firstValues,
  z.object({
    equipmentId: id('equipmentId').optional(),
    limit: wholeNumber('limit', 1, 1000, 100),
  }),
);
