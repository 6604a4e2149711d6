import { MAX_AMOUNT } from '@shopfloor/metric-events';
import { z } from 'zod';

/**
 * The answers of the metric-events routes (zod: they shape the JSON and the OpenAPI document).
 * Bodies are taken as `unknown` and validated by `validateMetricEvent`, so that every problem is
 * a stable reason code rather than a schema message.
 */

/** A posted event, for the OpenAPI document only (the route validates with reason codes). */
export const metricEventBodyDoc = z
  .unknown()
  .describe(
    `One event: {"client_id": string, "source"?: string, "payload": {"metric": string, "amount": integer within ±${MAX_AMOUNT}, "timestamp": ISO-8601 with a zone}, "simulateFailure"?: boolean}.`,
  );

/** What became of one posted event. */
export const eventResultSchema = z.object({
  /** Index in the request (0 for POST /events). */
  index: z.int(),
  /** SHA-256 of the canonical client_id|metric|amount|timestamp; null when rejected. */
  id: z.string().nullable(),
  /** processed: counted (or was already); failed: recorded, never counted; rejected: invalid; pending: not final yet. */
  status: z.enum(['processed', 'failed', 'rejected', 'pending']),
  /** true: an identical event was processed before (this one is not counted again); null while pending or rejected. */
  duplicate: z.boolean().nullable(),
  reason: z.string().optional(),
  message: z.string().optional(),
});
export type EventResult = z.infer<typeof eventResultSchema>;

export const batchResultSchema = z.object({
  requestId: z.string(),
  processed: z.int(),
  duplicates: z.int(),
  failed: z.int(),
  rejected: z.int(),
  pending: z.int(),
  results: z.array(eventResultSchema),
});

export const processedEventSchema = z.object({
  id: z.string(),
  client_id: z.string(),
  source: z.string().nullable(),
  payload: z.object({ metric: z.string(), amount: z.number(), timestamp: z.string() }),
  receivedAt: z.string(),
});

export const failedEventSchema = z.object({
  id: z.string().nullable(),
  client_id: z.string().nullable(),
  reason: z.string(),
  message: z.string(),
  /** The element as the client sent it. */
  payload: z.unknown(),
  receivedAt: z.string(),
});

export const pageSchema = <T extends z.ZodType>(item: T) =>
  z.object({ events: z.array(item), nextCursor: z.string().nullable() });

const totals = {
  count: z.int(),
  /** Exact while within ±(2^53 − 1); `totalAmountExact` is always exact. */
  totalAmount: z.number(),
  totalAmountExact: z.string(),
};

export const aggregatesSchema = z.object({
  client_id: z.string(),
  from: z.string(),
  to: z.string(),
  ...totals,
  metrics: z.array(z.object({ metric: z.string(), ...totals })).optional(),
});
