import type { MetricEventCursor, MetricFailedCursor } from '@shopfloor/clickhouse';
import { idProblem, parseInstantDetailed } from '@shopfloor/contracts';
import { cursorParam, type PageCursor, pageCursor } from '@shopfloor/http-kit';
import { z } from 'zod';

// Query strings of the metric-events routes: every problem is one 400 INVALID_QUERY naming the
// parameter (http-kit's error handling joins the messages).

const firstValues = (query: unknown) =>
  Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? v[0] : v,
    ]),
  );

const clientId = z.string({ message: 'client_id is required' }).superRefine((s, ctx) => {
  const problem = idProblem(s);
  if (problem) ctx.addIssue({ code: 'custom', message: `client_id ${problem}` });
});

const instant = (name: string) =>
  z.string({ message: `${name} is required` }).transform((s, ctx) => {
    const r = parseInstantDetailed(s);
    if (!r.ok) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be an ISO-8601 instant with a zone, such as 2026-01-01T10:00:00Z (got ${JSON.stringify(s)})`,
      });
      return z.NEVER;
    }
    return { text: s, ms: r.ms };
  });

const ordered = (
  v: { from?: { ms: number } | undefined; to?: { ms: number } | undefined },
  ctx: z.RefinementCtx,
) => {
  if (v.from && v.to && v.to.ms < v.from.ms)
    ctx.addIssue({ code: 'custom', message: 'to must not be before from' });
};

/** `GET /aggregates?client_id&from&to[&by=metric]`: the window is [from, to). */
export const aggregatesQuerySchema = z.preprocess(
  firstValues,
  z
    .object({
      client_id: clientId,
      from: instant('from'),
      to: instant('to'),
      by: z.enum(['metric'], { message: 'by must be metric (or absent)' }).optional(),
    })
    .superRefine(ordered),
);

/** The position of a processed event in its listing: [timestamp ms, id]. */
export const processedCursor = pageCursor<MetricEventCursor>({
  toKey: (p) => [p.timestampMs, p.id],
  fromKey: ([timestampMs, id, ...rest]) =>
    rest.length === 0 && Number.isSafeInteger(timestampMs) && typeof id === 'string'
      ? { timestampMs: timestampMs as number, id }
      : null,
});

/** The position of a failed event in its listing: [received ms, request id, seq]. */
export const failedCursor = pageCursor<MetricFailedCursor>({
  toKey: (p) => [p.receivedAt, p.requestId, p.seq],
  fromKey: ([receivedAt, requestId, seq, ...rest]) =>
    rest.length === 0 &&
    Number.isSafeInteger(receivedAt) &&
    typeof requestId === 'string' &&
    Number.isSafeInteger(seq)
      ? { receivedAt: receivedAt as number, requestId, seq: seq as number }
      : null,
});

/** `GET /events/processed|failed?client_id&from&to&limit&cursor`, the cursor of that listing. */
export const pageQuerySchema = <Position>(cursor: PageCursor<Position>) =>
  z.preprocess(
    firstValues,
    z
      .object({
        client_id: clientId.optional(),
        from: instant('from').optional(),
        to: instant('to').optional(),
        limit: z
          .string()
          .regex(/^\d+$/, { message: 'limit must be a whole number' })
          .transform(Number)
          .pipe(
            z
              .number()
              .int()
              .min(1, { message: 'limit must be 1-1000' })
              .max(1000, { message: 'limit must be 1-1000' }),
          )
          .optional(),
        cursor: cursorParam(cursor, 'cursor is not a cursor this API returned').optional(),
      })
      .superRefine(ordered),
  );
