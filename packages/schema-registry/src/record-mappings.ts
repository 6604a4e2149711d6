import type { DeadLetterRecord, OutcomeDecision, OutcomeRecord } from '@shopfloor/contracts';

/**
 * Where a TypeScript record and its Avro record differ in shape. The other records are the same
 * on both sides (checked by avro-types.test.ts), so their codecs need no mapping.
 */

type AvroDeadLetter = Omit<DeadLetterRecord, 'payload'>;

/** Only the exact text goes on the wire; the parsed value is derived from it when read. */
export function deadLetterToAvro(record: DeadLetterRecord): AvroDeadLetter {
  const { payload: _payload, ...rest } = record;
  return rest;
}

export function deadLetterFromAvro(value: unknown): DeadLetterRecord {
  const r = value as AvroDeadLetter;
  let payload: unknown;
  try {
    payload = JSON.parse(r.payloadJson);
  } catch {
    payload = r.payloadJson; // not JSON text (cannot come from the gateway): keep the text itself
  }
  return { ...r, payload };
}

type AvroOutcomeDecision = {
  seq: number;
  decision: OutcomeDecision['decision'];
  eventId: string | null;
  reason: (OutcomeDecision & { decision: 'rejected' })['reason'] | null;
};
type AvroOutcome = Omit<OutcomeRecord, 'decisions'> & { decisions: AvroOutcomeDecision[] };

/** A union in TypeScript (a reason only on rejections), one record with an optional reason in Avro. */
export function outcomeToAvro(record: OutcomeRecord): AvroOutcome {
  return {
    ...record,
    decisions: record.decisions.map((d) => ({ ...d, reason: 'reason' in d ? d.reason : null })),
  };
}

export function outcomeFromAvro(value: unknown): OutcomeRecord {
  const r = value as AvroOutcome;
  return {
    v: r.v,
    batchId: r.batchId,
    batchSize: r.batchSize,
    decisions: r.decisions.map(({ seq, decision, eventId, reason }) =>
      decision === 'rejected' && reason !== null
        ? { seq, decision, eventId, reason }
        : { seq, decision: decision as Exclude<typeof decision, 'rejected'>, eventId },
    ),
  };
}
