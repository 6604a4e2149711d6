import type { BatchEventRow, EventChangeRow, RejectedEventRow } from '@shopfloor/clickhouse';
import type { ChangeRecord, DeadLetterRecord, OutcomeDecision, OutcomeRecord } from '@shopfloor/contracts';
import type { DecodedRecord } from '@shopfloor/group-projector';

/** What the changes (expanded from events.change-batches) or events.dlq records turn into. Pure and deterministic: the same
 * records always give the same rows, which is what makes a replayed insert deduplicate. */
export type ProjectionBatch = {
  changes: EventChangeRow[];
  batchEvents: BatchEventRow[];
  rejected: RejectedEventRow[];
  outcomes: OutcomeRecord[];
};

type OutcomesByBatch = Map<string, { batchSize: number; decisions: OutcomeDecision[] }>;

export function projectChanges(records: readonly DecodedRecord<ChangeRecord>[]): ProjectionBatch {
  const out = emptyBatch();
  const byBatch: OutcomesByBatch = new Map();
  for (const { value: c, timestamp } of records) {
    for (const row of c.rows) out.changes.push(row);
    out.batchEvents.push({
      batchId: c.batchId,
      seq: c.seq,
      batchSize: c.batchSize,
      eventId: c.eventId,
      decision: c.decision,
      reason: '',
      recordedAt: timestamp,
    });
    outcomeOf(byBatch, c).decisions.push({ seq: c.seq, decision: c.decision, eventId: c.eventId });
  }
  out.outcomes = outcomes(byBatch);
  return out;
}

export function projectDeadLetters(records: readonly DecodedRecord<DeadLetterRecord>[]): ProjectionBatch {
  const out = emptyBatch();
  const byBatch: OutcomesByBatch = new Map();
  for (const { value: d, timestamp } of records) {
    out.rejected.push({
      batchId: d.batchId,
      seq: d.seq,
      eventId: d.eventId,
      reason: d.reason,
      message: d.message,
      payload: d.payloadJson,
      receivedAt: d.receivedAt,
    });
    out.batchEvents.push({
      batchId: d.batchId,
      seq: d.seq,
      batchSize: d.batchSize,
      eventId: d.eventId,
      decision: 'rejected',
      reason: d.reason,
      recordedAt: timestamp,
    });
    outcomeOf(byBatch, d).decisions.push({
      seq: d.seq,
      decision: 'rejected',
      eventId: d.eventId,
      reason: d.reason,
    });
  }
  out.outcomes = outcomes(byBatch);
  return out;
}

function emptyBatch(): ProjectionBatch {
  return { changes: [], batchEvents: [], rejected: [], outcomes: [] };
}

function outcomeOf(byBatch: OutcomesByBatch, r: { batchId: string; batchSize: number }) {
  let o = byBatch.get(r.batchId);
  if (!o) {
    o = { batchSize: r.batchSize, decisions: [] };
    byBatch.set(r.batchId, o);
  }
  return o;
}

function outcomes(byBatch: OutcomesByBatch): OutcomeRecord[] {
  return [...byBatch].map(([batchId, o]) => ({
    v: 1,
    batchId,
    batchSize: o.batchSize,
    decisions: o.decisions,
  }));
}
