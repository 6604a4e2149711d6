import type { DeadLetterRecord, OutcomeDecision, OutcomeRecord, RejectionReason } from '@shopfloor/contracts';

/**
 * Where a TypeScript record and its Avro record differ in shape. The other records are the same
 * on both sides (checked by avro-types.test.ts), so their codecs need no mapping.
 */

/**
 * The symbols of the v1 enum `RejectionReason`. It has no `default`, so under FULL_TRANSITIVE it can
 * never take a new symbol (a v1 reader could not read it). Since v2 the code travels in
 * `reasonCode` (enum `RejectionCode`, with a default), and `reason` keeps a v1 symbol for v1 readers:
 * the code itself when it has one, else `INVALID_ID` (the closest: an id the event may not use).
 */
export const V1_REJECTION_REASONS = [
  'NOT_AN_OBJECT',
  'MISSING_FIELD',
  'INVALID_TYPE',
  'NOT_AN_INTEGER',
  'INVALID_ID',
  'INVALID_EVENT_TIME',
  'FUTURE_EVENT_TIME',
  'INVALID_DURATION',
  'INVALID_DEFECT_COUNT',
] as const satisfies readonly RejectionReason[];
const V1_SET: ReadonlySet<string> = new Set(V1_REJECTION_REASONS);

type V1Reason = (typeof V1_REJECTION_REASONS)[number];
/** What a v2 writer puts in the two reason fields. */
const reasonFields = (reason: RejectionReason) => ({
  reason: (V1_SET.has(reason) ? reason : 'INVALID_ID') as V1Reason,
  reasonCode: reason,
});
/** The code of a record: reasonCode, unless absent (v1) or UNKNOWN (a code newer than this reader). */
const reasonOf = (r: { reason: RejectionReason; reasonCode?: string | null }): RejectionReason =>
  r.reasonCode && r.reasonCode !== 'UNKNOWN' ? (r.reasonCode as RejectionReason) : r.reason;

type AvroDeadLetter = Omit<DeadLetterRecord, 'payload' | 'reason'> & {
  reason: V1Reason;
  reasonCode: RejectionReason | 'UNKNOWN' | null;
};

/** Only the exact text goes on the wire; the parsed value is derived from it when read. */
export function deadLetterToAvro(record: DeadLetterRecord): AvroDeadLetter {
  const { payload: _payload, ...rest } = record;
  return { ...rest, ...reasonFields(record.reason) };
}

export function deadLetterFromAvro(value: unknown): DeadLetterRecord {
  const { reasonCode: _code, ...r } = value as AvroDeadLetter;
  let payload: unknown;
  try {
    payload = JSON.parse(r.payloadJson);
  } catch {
    payload = r.payloadJson; // not JSON text (cannot come from the gateway): keep the text itself
  }
  return { ...r, reason: reasonOf(value as AvroDeadLetter), payload };
}

type AvroOutcomeDecision = {
  seq: number;
  decision: OutcomeDecision['decision'];
  eventId: string | null;
  reason: V1Reason | null;
  reasonCode: RejectionReason | 'UNKNOWN' | null;
};
type AvroOutcome = Omit<OutcomeRecord, 'decisions'> & { decisions: AvroOutcomeDecision[] };

/** A union in TypeScript (a reason only on rejections), one record with an optional reason in Avro. */
export function outcomeToAvro(record: OutcomeRecord): AvroOutcome {
  // Built field by field, not spread: one outcome carries a decision per event of its batch.
  const decisions: AvroOutcomeDecision[] = new Array(record.decisions.length);
  for (let i = 0; i < decisions.length; i++) {
    const d = record.decisions[i] as OutcomeDecision;
    decisions[i] =
      'reason' in d
        ? { seq: d.seq, decision: d.decision, eventId: d.eventId, ...reasonFields(d.reason) }
        : { seq: d.seq, decision: d.decision, eventId: d.eventId, reason: null, reasonCode: null };
  }
  return { v: record.v, batchId: record.batchId, batchSize: record.batchSize, decisions };
}

export function outcomeFromAvro(value: unknown): OutcomeRecord {
  const r = value as AvroOutcome;
  return {
    v: r.v,
    batchId: r.batchId,
    batchSize: r.batchSize,
    decisions: r.decisions.map(({ seq, decision, eventId, reason, reasonCode }) =>
      decision === 'rejected' && reason !== null
        ? { seq, decision, eventId, reason: reasonOf({ reason, reasonCode }) }
        : { seq, decision: decision as Exclude<typeof decision, 'rejected'>, eventId },
    ),
  };
}
