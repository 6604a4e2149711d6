import { idProblem, parseInstantDetailed } from '@shopfloor/contracts';
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

const cursor = z
  .string()
  .optional()
  .transform((s, ctx) => {
    if (s === undefined) return undefined;
    try {
      const value = JSON.parse(Buffer.from(s, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(value)) return value as unknown[];
    } catch {}
    ctx.addIssue({ code: 'custom', message: 'cursor is not a cursor this API returned' });
    return z.NEVER;
  });

/** `GET /events/processed|failed?client_id&from&to&limit&cursor`. */
export const pageQuerySchema = z.preprocess(
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
      cursor,
    })
    .superRefine(ordered),
);

/** A page's cursor: the sort key of its last row, opaque to clients. */
export const encodeCursor = (key: readonly unknown[]): string =>
  Buffer.from(JSON.stringify(key)).toString('base64url');
