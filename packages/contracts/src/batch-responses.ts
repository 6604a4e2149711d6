import { z } from 'zod';
import { type BatchItemKind, type BatchRejection, batchOutcomeSchema } from './batch.ts';
import { type CountedAs, countedAs, DECISION_KINDS } from './dedupe-decision.ts';
import { rejectionReasonSchema } from './rejection-reasons.ts';

// The HTTP answers about batches: `POST /events/batch` (final or pending) and
// `GET /events/batch/:batchId`. The routes attach these schemas, so the OpenAPI document comes
// from them too.

/** `POST /events/batch`, 200: the final outcome plus the batch id (an extension of the seed API). */
export const batchAnswerSchema = batchOutcomeSchema.extend({ batchId: z.string() });
export type BatchAnswer = z.output<typeof batchAnswerSchema>;

/** `POST /events/batch`, 202: the batch is durable in Kafka; its outcome is at `statusUrl`. */
export const batchPendingAnswerSchema = z.object({
  batchId: z.string(),
  status: z.literal('pending'),
  events: z.int().min(0),
  rejected: z.int().min(0),
  statusUrl: z.string(),
});
export type BatchPendingAnswer = z.output<typeof batchPendingAnswerSchema>;

/** What the store recorded about one batch: decisions counted per kind, rejections by seq. */
export type RecordedBatch = {
  batchId: string;
  /** Events in the batch, or null when nothing has been recorded yet. */
  batchSize: number | null;
  /** Distinct events with a recorded outcome. */
  recorded: number;
  counts: Record<BatchItemKind, number>;
  rejections: (BatchRejection & { seq: number })[];
};

/** `GET /events/batch/:batchId`. */
export const batchStatusResponseSchema = z.object({
  batchId: z.string(),
  status: z.enum(['complete', 'pending']),
  events: z.int().min(1).nullable(),
  recorded: z.int().min(0),
  accepted: z.int().min(0),
  deduped: z.int().min(0),
  updated: z.int().min(0),
  rejected: z.int().min(0),
  rejections: z.array(z.object({ eventId: z.string().nullable(), reason: rejectionReasonSchema })),
});
export type BatchStatusResponse = z.output<typeof batchStatusResponseSchema>;

/**
 * The status answer of a recorded batch: complete once every event has an outcome; decisions are
 * counted as in the POST answer (`countedAs`: stale counts as deduped).
 */
export function batchStatus(recorded: RecordedBatch): BatchStatusResponse {
  const counted: Record<CountedAs, number> = { accepted: 0, deduped: 0, updated: 0 };
  for (const kind of DECISION_KINDS) counted[countedAs(kind)] += recorded.counts[kind];
  const complete = recorded.batchSize !== null && recorded.recorded >= recorded.batchSize;
  return {
    batchId: recorded.batchId,
    status: complete ? 'complete' : 'pending',
    events: recorded.batchSize,
    recorded: recorded.recorded,
    ...counted,
    rejected: recorded.counts.rejected,
    rejections: recorded.rejections.map(({ eventId, reason }) => ({ eventId, reason })),
  };
}
