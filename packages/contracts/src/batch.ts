import { z } from 'zod';
import { countedAs, DECISION_KINDS, type DecisionKind } from './dedupe-decision.ts';
import { type RejectionReason, rejectionReasonSchema } from './rejection-reasons.ts';

/** One rejected event in a batch answer: its id when it had a valid one, and the stable reason. */
export type BatchRejection = { eventId: string | null; reason: RejectionReason };

/** `POST /events/batch` answer: how many events were accepted, deduped, updated and rejected. */
export type BatchOutcome = {
  accepted: number;
  deduped: number;
  updated: number;
  rejected: number;
  rejections: BatchRejection[];
};

export const batchOutcomeSchema = z.object({
  accepted: z.int().min(0),
  deduped: z.int().min(0),
  updated: z.int().min(0),
  rejected: z.int().min(0),
  rejections: z.array(z.object({ eventId: z.string().nullable(), reason: rejectionReasonSchema })),
});

/** What happened to one event of a batch, including rejection at the gateway. */
export const BATCH_ITEM_KINDS = [...DECISION_KINDS, 'rejected'] as const;
export type BatchItemKind = (typeof BATCH_ITEM_KINDS)[number];

/**
 * What happened to one reading of a sensor webhook job: a reading is never an update of another,
 * so it is first seen (accepted), seen again (deduped) or rejected.
 */
export const SENSOR_BATCH_DECISIONS = [
  'accepted',
  'deduped',
  'rejected',
] as const satisfies readonly BatchItemKind[];
export type SensorBatchDecision = (typeof SENSOR_BATCH_DECISIONS)[number];

export function emptyOutcome(): BatchOutcome {
  return { accepted: 0, deduped: 0, updated: 0, rejected: 0, rejections: [] };
}

/** The outcome with one more dedupe decision counted (stale counts as deduped). Does not mutate. */
export function addDecision(outcome: BatchOutcome, kind: DecisionKind): BatchOutcome {
  const bucket = countedAs(kind);
  return { ...outcome, [bucket]: outcome[bucket] + 1 };
}

/** The outcome with one more rejection, appended in call order. Does not mutate. */
export function addRejection(outcome: BatchOutcome, rejection: BatchRejection): BatchOutcome {
  return {
    ...outcome,
    rejected: outcome.rejected + 1,
    rejections: [...outcome.rejections, { eventId: rejection.eventId, reason: rejection.reason }],
  };
}

/** One event's fate as recorded per batch position (see `OutcomeRecord`). */
export type BatchItemDecision =
  | { seq: number; decision: DecisionKind; eventId: string | null }
  | { seq: number; decision: 'rejected'; eventId: string | null; reason: RejectionReason };

/**
 * Folds per-event decisions into the batch answer. Rejections are listed in batch order (by `seq`)
 * whatever order the decisions arrive in, so the answer is the same however the batch was split
 * across partitions.
 */
export function summarizeBatch(decisions: readonly BatchItemDecision[]): BatchOutcome {
  let outcome = emptyOutcome();
  for (const d of [...decisions].sort((a, b) => a.seq - b.seq)) {
    outcome =
      d.decision === 'rejected'
        ? addRejection(outcome, { eventId: d.eventId, reason: d.reason })
        : addDecision(outcome, d.decision);
  }
  return outcome;
}
