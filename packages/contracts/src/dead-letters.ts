import { z } from 'zod';
import { rejectionReasonSchema } from './rejection-reasons.ts';

/** One row of `GET /dead-letters`: a rejected event with its payload exactly as received. */
export const deadLetterResponseSchema = z.object({
  batchId: z.string(),
  seq: z.int().min(0),
  eventId: z.string().nullable(),
  reason: rejectionReasonSchema,
  message: z.string(),
  /** The JSON text as received. */
  payload: z.string(),
  /** ISO-8601 instant the gateway received the batch. */
  receivedAt: z.string(),
});
export type DeadLetterResponse = z.output<typeof deadLetterResponseSchema>;

/** Every error answer of the HTTP API: a stable `code` and a human `message`. */
export const errorResponseSchema = z.object({ code: z.string(), message: z.string() });
export type ErrorResponse = z.output<typeof errorResponseSchema>;
