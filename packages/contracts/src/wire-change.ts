import { z } from 'zod';
import { DECISION_KINDS, type Decision, type DecisionKind, type WinnerState } from './dedupe-decision.ts';
import { idSchema } from './event.ts';
import {
  type BatchPosition,
  decoder,
  type Flat,
  positionedRecord,
  winnerVersionShape,
} from './wire-common.ts';

// ---- a decision and its projection rows (held by events.change-batches) ----------------------------

/** One row for the projection: +1 adds a winner, -1 retracts a previous one (same values). */
export type ChangeRow = Flat<{ sign: 1 | -1 } & Omit<WinnerState, 'payloadKey'>>;

export const changeRowSchema = z.object({
  sign: z.union([z.literal(1), z.literal(-1)]),
  ...winnerVersionShape,
});

/** The decision for one raw record and the rows it adds to the projection. */
export type ChangeRecord = Flat<
  BatchPosition & {
    v: 1;
    eventId: string;
    decision: DecisionKind;
    rows: ChangeRow[];
  }
>;

const EXPECTED_SIGNS: Record<DecisionKind, readonly number[]> = {
  accepted: [1],
  updated: [-1, 1],
  deduped: [],
  stale: [],
};

export const changeRecordSchema = positionedRecord({
  eventId: idSchema,
  decision: z.enum(DECISION_KINDS),
  rows: z.array(changeRowSchema),
})
  .refine((r) => r.rows.map((row) => row.sign).join() === EXPECTED_SIGNS[r.decision].join(), {
    message: 'rows must be [+1] for accepted, [-1, +1] for updated and [] for deduped or stale',
    path: ['rows'],
  })
  .refine((r) => r.rows.every((row) => row.eventId === r.eventId), {
    message: 'every row must carry the record eventId',
    path: ['rows'],
  });

export const decodeChangeRecord = decoder<ChangeRecord>(changeRecordSchema);

function row(sign: 1 | -1, w: WinnerState): ChangeRow {
  const { eventId, eventTimeMs, machineId, lineId, factoryId, durationMs, defectCount, receivedAt, version } =
    w;
  return {
    sign,
    eventId,
    eventTimeMs,
    machineId,
    lineId,
    factoryId,
    durationMs,
    defectCount,
    receivedAt,
    version,
  };
}

/**
 * The projection rows of a decision: accepted → `[+1 next]`; updated → `[-1 previous, +1 next]`;
 * deduped and stale → `[]` (a deduped receive-time refresh is state-only, not projected).
 */
export function changeRowsFor(decision: Decision): ChangeRow[] {
  switch (decision.kind) {
    case 'accepted':
      return [row(1, decision.next)];
    case 'updated':
      return [row(-1, decision.previous), row(1, decision.next)];
    case 'deduped':
    case 'stale':
      return [];
  }
}

function decisionEventId(decision: Decision): string {
  return decision.kind === 'accepted' || decision.kind === 'updated'
    ? decision.next.eventId
    : decision.current.eventId;
}

export function changeRecordFor(pos: BatchPosition, decision: Decision): ChangeRecord {
  return {
    v: 1,
    batchId: pos.batchId,
    seq: pos.seq,
    batchSize: pos.batchSize,
    eventId: decisionEventId(decision),
    decision: decision.kind,
    rows: changeRowsFor(decision),
  };
}

// ---- events.change-batches (no key; written to the partition of the raw records it decides) ------

/**
 * The decisions of one dedupe transaction (one partition batch of events.raw), in raw offset order:
 * one record per transaction rather than one per decision (bench/README "Levers", lever 1). The
 * projector expands it; every change it holds shares the record's offset.
 */
export type ChangeBatchRecord = { v: 1; changes: readonly ChangeRecord[] };

export const changeBatchRecordSchema = z.object({
  v: z.literal(1),
  changes: z.array(changeRecordSchema),
});

export const decodeChangeBatchRecord = decoder<ChangeBatchRecord>(changeBatchRecordSchema);
