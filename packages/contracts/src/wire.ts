import { z } from 'zod';
import type { BatchItemDecision } from './batch.ts';
import { DECISION_KINDS, type Decision, type DecisionKind, type WinnerState } from './dedupe-decision.ts';
import {
  idSchema,
  MAX_DURATION_MS,
  type MachineEvent,
  machineEventSchema,
  type ReceivedEvent,
  toReceivedEvent,
  UNKNOWN_DEFECT_COUNT,
} from './event.ts';
import { payloadKey } from './identity.ts';
import { type RejectionReason, rejectionReasonSchema, type ValidationFailure } from './validation.ts';

/**
 * Payloads of the Kafka topics, as JSON values. Every record carries `v: 1`; a change that old
 * readers cannot read needs a new `v`, and the fixtures in `fixtures/` pin the current one.
 * Decoders take the already-JSON-parsed value, return a result and never throw. Objects are read
 * leniently (unknown fields are dropped) so that adding an optional field is not breaking.
 */
export const WIRE_VERSION = 1;

export type DecodeResult<T> = { ok: true; value: T } | { ok: false; error: string };

/** Where a record sits in the HTTP batch it came from. */
export type BatchPosition = { batchId: string; seq: number; batchSize: number };

/** An intersection flattened into one object type (for readable hovers and exact type tests). */
type Flat<T> = { [K in keyof T]: T[K] } & {};

const v1 = z.literal(WIRE_VERSION);
const batchId = z.string().min(1);
const seq = z.int().min(0);
const batchSize = z.int().min(1);
const epochMs = z.int();
const durationMs = z.int().min(0).max(MAX_DURATION_MS);
const defectCount = z.int().min(UNKNOWN_DEFECT_COUNT);
const seqInBatch = (r: { seq: number; batchSize: number }) => r.seq < r.batchSize;
const seqMessage = { message: 'seq must be less than batchSize', path: ['seq'] };

function decoder<T>(schema: z.ZodType<T>): (input: unknown) => DecodeResult<T> {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success ? { ok: true, value: r.data } : { ok: false, error: z.prettifyError(r.error) };
  };
}

// ---- events.raw (key: eventId) ------------------------------------------------------------------

/** An event accepted for processing, exactly as received, with the gateway's receive time. */
export type RawEventRecord = Flat<BatchPosition & { v: 1; receivedAt: number; event: MachineEvent }>;

export const rawEventRecordSchema = z
  .object({ v: v1, batchId, seq, batchSize, receivedAt: epochMs, event: machineEventSchema })
  .refine(seqInBatch, seqMessage);

export const decodeRawEventRecord = decoder<RawEventRecord>(rawEventRecordSchema);

export function rawEventRecordFor(pos: BatchPosition, received: ReceivedEvent): RawEventRecord {
  return { v: 1, ...pos, receivedAt: received.receivedAt, event: received.event };
}

/** The `ReceivedEvent` a decoded raw record stands for. */
export function receivedEventOf(record: RawEventRecord): ReceivedEvent {
  return toReceivedEvent(record.event, record.receivedAt);
}

// ---- events.dlq (key: batchId) ------------------------------------------------------------------

/**
 * A rejected event: why, and what the machine sent. `payloadJson` is the JSON text of the element
 * exactly as it was in the request body (the Avro record carries only that); `payload` is the same
 * value parsed, for readers that want the value.
 */
export type DeadLetterRecord = Flat<
  BatchPosition & {
    v: 1;
    receivedAt: number;
    eventId: string | null;
    reason: RejectionReason;
    message: string;
    payload: unknown;
    payloadJson: string;
  }
>;

/** JSON text of a parsed value, for a sender whose exact text is not at hand. */
const jsonTextOf = (value: unknown) => JSON.stringify(value) ?? 'null';

export const deadLetterRecordSchema = z
  .object({
    v: v1,
    batchId,
    seq,
    batchSize,
    receivedAt: epochMs,
    eventId: z.string().nullable(),
    reason: rejectionReasonSchema,
    message: z.string(),
    payload: z.unknown(),
    // JSON-era records had no payloadJson: their text is the parsed payload serialized again.
    payloadJson: z.string().optional(),
  })
  .refine(seqInBatch, seqMessage)
  .transform((r) => ({ ...r, payloadJson: r.payloadJson ?? jsonTextOf(r.payload) }));

export const decodeDeadLetterRecord = decoder<DeadLetterRecord>(deadLetterRecordSchema);

/**
 * The dead letter of a rejected element. Pass `payloadJson`, the element's exact text in the request
 * body, to keep the bytes the machine sent; without it the parsed value is serialized again.
 */
export function deadLetterRecordFor(
  pos: BatchPosition,
  receivedAt: number,
  failure: ValidationFailure,
  payload: unknown,
  payloadJson: string = jsonTextOf(payload),
): DeadLetterRecord {
  const { eventId, reason, message } = failure;
  return { v: 1, ...pos, receivedAt, eventId, reason, message, payload, payloadJson };
}

// ---- events.state (key: eventId; null value = tombstone) ----------------------------------------

export type StateRecord = Flat<{ v: 1 } & WinnerState>;

const winnerShape = {
  eventId: idSchema,
  eventTimeMs: epochMs,
  machineId: idSchema,
  lineId: idSchema,
  factoryId: idSchema,
  durationMs,
  defectCount,
  receivedAt: epochMs,
  version: z.int().min(1),
  payloadKey: z.string(),
};

export const stateRecordSchema = z
  .object({ v: v1, ...winnerShape })
  .refine((r) => r.payloadKey === payloadKey(r), {
    message: 'payloadKey does not match the payload fields',
    path: ['payloadKey'],
  });

const decodeStateValue = decoder<StateRecord>(stateRecordSchema);

/** Decodes a state value; `null` (a tombstone: the eventId has no state) decodes to `null`. */
export function decodeStateRecord(input: unknown): DecodeResult<StateRecord | null> {
  return input === null ? { ok: true, value: null } : decodeStateValue(input);
}

export function stateRecordFor(w: WinnerState): StateRecord {
  return { v: 1, ...w };
}

export function winnerOf(record: StateRecord): WinnerState {
  const { v: _v, ...w } = record;
  return w;
}

// ---- events.changes (key: eventId) --------------------------------------------------------------

/** One row for the projection: +1 adds a winner, -1 retracts a previous one (same values). */
export type ChangeRow = {
  sign: 1 | -1;
  eventId: string;
  eventTimeMs: number;
  machineId: string;
  lineId: string;
  factoryId: string;
  durationMs: number;
  defectCount: number;
  receivedAt: number;
  version: number;
};

export const changeRowSchema = z.object({
  sign: z.union([z.literal(1), z.literal(-1)]),
  eventId: idSchema,
  eventTimeMs: epochMs,
  machineId: idSchema,
  lineId: idSchema,
  factoryId: idSchema,
  durationMs,
  defectCount,
  receivedAt: epochMs,
  version: z.int().min(1),
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

export const changeRecordSchema = z
  .object({
    v: v1,
    batchId,
    seq,
    batchSize,
    eventId: idSchema,
    decision: z.enum(DECISION_KINDS),
    rows: z.array(changeRowSchema),
  })
  .refine(seqInBatch, seqMessage)
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
    ...pos,
    eventId: decisionEventId(decision),
    decision: decision.kind,
    rows: changeRowsFor(decision),
  };
}

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

// ---- events.invalid (key: the bad record's key) -------------------------------------------------

/** A record of ours that did not decode, parked by the bad-record policy with the reason. */
export type InvalidRecord = {
  v: 1;
  /** Where the bad record was read. */
  topic: string;
  partition: number;
  offset: string;
  error: string;
  /** The record's value exactly as read (null for a null value). */
  value: Buffer | null;
};
