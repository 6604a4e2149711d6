import { isValidId, parseInstant } from '@shopfloor/contracts';
import { z } from 'zod';

// The query strings of the query routes, attached to them as zod schemas: every problem becomes one
// 400 INVALID_QUERY whose message names the parameters (see http-kit's error handling).

export const id = (name: string) =>
  z
    .string({ message: `${name} is required` })
    .refine(isValidId, { message: `${name} must be 1-128 characters without control characters` });

export const instant = (name: string) =>
  z.string({ message: `${name} is required` }).transform((s, ctx) => {
    const ms = parseInstant(s);
    if (ms === null) {
      ctx.addIssue({
        code: 'custom',
        message: `${name} must be an ISO-8601 instant with a zone, such as 2026-01-01T10:00:00Z (got ${JSON.stringify(s)})`,
      });
      return z.NEVER;
    }
    return { text: s, ms };
  });

const ordered = <T extends { startMs: number; endMs: number }>(
  v: T,
  ctx: z.RefinementCtx,
  names: [string, string],
) => {
  if (v.endMs < v.startMs)
    ctx.addIssue({ code: 'custom', message: `${names[1]} must not be before ${names[0]}` });
};

/** A repeated parameter (`?a=1&a=2`) counts with its first value. */
export const firstValues = (query: unknown) =>
  Object.fromEntries(
    Object.entries((query ?? {}) as Record<string, unknown>).map(([k, v]) => [
      k,
      Array.isArray(v) ? v[0] : v,
    ]),
  );

/** `start` and `end` are echoed in the answer as sent, so they are kept next to their epoch ms. */
export const statsQuerySchema = z.preprocess(
  firstValues,
  z
    .object({ machineId: id('machineId'), start: instant('start'), end: instant('end') })
    .transform(({ machineId, start, end }) => ({
      machineId,
      start: start.text,
      end: end.text,
      startMs: start.ms,
      endMs: end.ms,
    }))
    .superRefine((v, ctx) => ordered(v, ctx, ['start', 'end'])),
);

/** Older clients name the window `start`/`end`: aliases of `from`/`to` (the latter win when both are sent). */
const windowAliases = (query: unknown) => {
  const q = firstValues(query);
  return { ...q, from: q.from ?? q.start, to: q.to ?? q.end };
};

export const topLinesQuerySchema = z.preprocess(
  windowAliases,
  z
    .object({
      factoryId: id('factoryId'),
      from: instant('from (or start)'),
      to: instant('to (or end)'),
      limit: z
        .string()
        .optional()
        .transform((s, ctx) => {
          if (s === undefined) return 10;
          if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > 1000) {
            ctx.addIssue({
              code: 'custom',
              message: `limit must be a whole number from 1 to 1000 (got ${JSON.stringify(s)})`,
            });
            return z.NEVER;
          }
          return Number(s);
        }),
    })
    .transform((q) => ({ factoryId: q.factoryId, startMs: q.from.ms, endMs: q.to.ms, limit: q.limit }))
    .superRefine((v, ctx) => ordered(v, ctx, ['from', 'to'])),
);

export const deadLettersQuerySchema = z.preprocess(
  firstValues,
  z.object({
    batchId: z.string().min(1).max(128).optional(),
    limit: z
      .string()
      .regex(/^\d+$/, { message: 'limit must be a whole number' })
      .transform(Number)
      .pipe(z.number().int().min(1).max(10_000))
      .optional(),
  }),
);

/** `GET /events/batch/:batchId`. */
export const batchParamsSchema = z.object({ batchId: z.string().min(1) });
