import { z } from 'zod';
import type { BatchItemDecision } from './batch.ts';
import { DECISION_KINDS } from './dedupe-decision.ts';
import { rejectionReasonSchema } from './rejection-reasons.ts';
import { batchId, batchSize, decoder, seq, v1 } from './wire-common.ts';

// ---- events.outcomes (key: batchId) -------------------------------------------------------------

/**
 * Decisions about some or all events of one batch. Several records may share a batchId (each dedupe
 * process reports the events of its partitions); the batch is complete when `batchSize` distinct
 * seqs have been reported. `summarizeBatch` turns the decisions into the HTTP answer.
 */
export type OutcomeRecord = {
  v: 1;
  batchId: string;
  batchSize: number;
  decisions: OutcomeDecision[];
};
export type OutcomeDecision = BatchItemDecision;

const outcomeDecisionSchema = z.discriminatedUnion('decision', [
  z.object({ seq, decision: z.enum(DECISION_KINDS), eventId: z.string().nullable() }),
  z.object({
    seq,
    decision: z.literal('rejected'),
    eventId: z.string().nullable(),
    reason: rejectionReasonSchema,
  }),
]);

export const outcomeRecordSchema = z
  .object({ v: v1, batchId, batchSize, decisions: z.array(outcomeDecisionSchema) })
  .refine((r) => r.decisions.every((d) => d.seq < r.batchSize), {
    message: 'every seq must be less than batchSize',
    path: ['decisions'],
  })
  .refine((r) => new Set(r.decisions.map((d) => d.seq)).size === r.decisions.length, {
    message: 'seqs must be distinct',
    path: ['decisions'],
  });

export const decodeOutcomeRecord = decoder<OutcomeRecord>(outcomeRecordSchema);
