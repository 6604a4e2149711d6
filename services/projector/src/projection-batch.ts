import {
  decodeChangeRecord,
  decodeDeadLetterRecord,
  type ChangeRecord,
  type DeadLetterRecord,
  type OutcomeDecision,
  type OutcomeRecord,
} from '@shopfloor/contracts';
import type { BatchEventRow, EventChangeRow, RejectedEventRow } from '@shopfloor/clickhouse';
import { decodeJson, type ConsumedMessage } from '@shopfloor/kafka';

/** What one range of records of events.changes or events.dlq turns into. Pure and deterministic:
 * the same records always give the same rows, which is what makes a replayed insert deduplicate. */
export type ProjectionBatch = {
  changes: EventChangeRow[];
  batchEvents: BatchEventRow[];
  rejected: RejectedEventRow[];
  outcomes: OutcomeRecord[];
  undecodable: { offset: string; error: string }[];
};

export function projectChanges(messages: readonly ConsumedMessage[]): ProjectionBatch {
  const out = emptyBatch();
  const byBatch = new Map<string, { batchSize: number; decisions: OutcomeDecision[] }>();
  for (const m of messages) {
    const decoded = decode(m, decodeChangeRecord);
    if (!decoded.ok) {
      out.undecodable.push({ offset: m.offset, error: decoded.error });
      continue;
    }
    const c: ChangeRecord = decoded.value;
    for (const row of c.rows) out.changes.push(row);
    out.batchEvents.push({
      batchId: c.batchId,
      seq: c.seq,
      batchSize: c.batchSize,
      eventId: c.eventId,
      decision: c.decision,
      reason: '',
      recordedAt: Number(m.timestamp),
    });
    outcomeOf(byBatch, c).decisions.push({ seq: c.seq, decision: c.decision, eventId: c.eventId });
  }
  out.outcomes = outcomes(byBatch);
  return out;
}

export function projectDeadLetters(messages: readonly ConsumedMessage[]): ProjectionBatch {
  const out = emptyBatch();
  const byBatch = new Map<string, { batchSize: number; decisions: OutcomeDecision[] }>();
  for (const m of messages) {
    const decoded = decode(m, decodeDeadLetterRecord);
    if (!decoded.ok) {
      out.undecodable.push({ offset: m.offset, error: decoded.error });
      continue;
    }
    const d: DeadLetterRecord = decoded.value;
    out.rejected.push({
      batchId: d.batchId,
      seq: d.seq,
      eventId: d.eventId,
      reason: d.reason,
      message: d.message,
      payload: JSON.stringify(d.payload) ?? 'null',
      receivedAt: d.receivedAt,
    });
    out.batchEvents.push({
      batchId: d.batchId,
      seq: d.seq,
      batchSize: d.batchSize,
      eventId: d.eventId,
      decision: 'rejected',
      reason: d.reason,
      recordedAt: Number(m.timestamp),
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
  return { changes: [], batchEvents: [], rejected: [], outcomes: [], undecodable: [] };
}

function decode<T>(
  m: ConsumedMessage,
  decoder: (v: unknown) => { ok: true; value: T } | { ok: false; error: string },
) {
  const json = decodeJson(m.value);
  return json.ok ? decoder(json.value) : json;
}

function outcomeOf(
  byBatch: Map<string, { batchSize: number; decisions: OutcomeDecision[] }>,
  r: { batchId: string; batchSize: number },
) {
  let o = byBatch.get(r.batchId);
  if (!o) {
    o = { batchSize: r.batchSize, decisions: [] };
    byBatch.set(r.batchId, o);
  }
  return o;
}

function outcomes(
  byBatch: Map<string, { batchSize: number; decisions: OutcomeDecision[] }>,
): OutcomeRecord[] {
  return [...byBatch].map(([batchId, o]) => ({
    v: 1,
    batchId,
    batchSize: o.batchSize,
    decisions: o.decisions,
  }));
}
