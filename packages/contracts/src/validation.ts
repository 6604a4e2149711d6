import {
  EVENT_FIELDS,
  type EventField,
  idProblem,
  MAX_DURATION_MS,
  MAX_FUTURE_SKEW_MS,
  type MachineEvent,
  MIN_EVENT_TIME_MS,
  type ReceivedEventDraft,
  UNKNOWN_DEFECT_COUNT,
} from './event.ts';
import { parseInstantDetailed } from './instant.ts';
import type { RejectionReason } from './rejection-reasons.ts';

export type ValidationSuccess = { ok: true; value: ReceivedEventDraft };
export type ValidationFailure = {
  ok: false;
  /** The event's id when it is a valid id string, even if another field is bad; otherwise null. */
  eventId: string | null;
  reason: RejectionReason;
  /** Human-readable, names the field and the offending value. Not stable: match on `reason`. */
  message: string;
};
export type ValidationResult = ValidationSuccess | ValidationFailure;

const NUMBER_FIELDS: ReadonlySet<EventField> = new Set(['durationMs', 'defectCount']);
const MAX_SHOWN_CHARS = 64;

/** A short description of a JSON value for messages: `string "100"`, `number 1.5`, `null`, `array`. */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  switch (typeof v) {
    case 'string': {
      const shown = [...v].length > MAX_SHOWN_CHARS ? `${[...v].slice(0, MAX_SHOWN_CHARS).join('')}…` : v;
      return `string ${JSON.stringify(shown)}`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
      return `${typeof v} ${String(v)}`;
    default:
      return typeof v;
  }
}

type Failure = { reason: RejectionReason; message: string };

/** Presence and JSON type of one field (check pass 1). */
function checkShape(field: EventField, record: Record<string, unknown>): Failure | null {
  if (!Object.hasOwn(record, field) || record[field] === undefined) {
    return { reason: 'MISSING_FIELD', message: `${field} is required` };
  }
  const v = record[field];
  if (NUMBER_FIELDS.has(field)) {
    if (typeof v !== 'number') {
      return { reason: 'INVALID_TYPE', message: `${field} must be an integer, got ${describeValue(v)}` };
    }
    if (!Number.isSafeInteger(v)) {
      return { reason: 'NOT_AN_INTEGER', message: `${field} must be an integer, got ${describeValue(v)}` };
    }
    return null;
  }
  if (typeof v !== 'string') {
    return { reason: 'INVALID_TYPE', message: `${field} must be a string, got ${describeValue(v)}` };
  }
  return null;
}

/** eventTime's format and range: its instant, or why it is refused (check pass 2). */
function checkEventTime(eventTime: string, nowMs: number): Failure | number {
  const t = parseInstantDetailed(eventTime);
  if (!t.ok) {
    return { reason: 'INVALID_EVENT_TIME', message: `eventTime ${JSON.stringify(eventTime)} ${t.problem}` };
  }
  if (t.ms < MIN_EVENT_TIME_MS) {
    return {
      reason: 'INVALID_EVENT_TIME',
      message: `eventTime ${JSON.stringify(eventTime)} is before 1900-01-01T00:00:00Z, the earliest supported`,
    };
  }
  if (t.ms - nowMs > MAX_FUTURE_SKEW_MS) {
    return {
      reason: 'FUTURE_EVENT_TIME',
      message:
        `eventTime ${JSON.stringify(eventTime)} is ${t.ms - nowMs} ms after the receive time; ` +
        `at most ${MAX_FUTURE_SKEW_MS} ms (15 min) is allowed`,
    };
  }
  return t.ms;
}

/** Format and range of one field other than eventTime whose shape is known to be right (check pass 2). */
function checkValue(field: Exclude<EventField, 'eventTime'>, e: MachineEvent): Failure | null {
  switch (field) {
    case 'durationMs':
      if (e.durationMs < 0 || e.durationMs > MAX_DURATION_MS) {
        return {
          reason: 'INVALID_DURATION',
          message: `durationMs must be between 0 and ${MAX_DURATION_MS} (6 h), got ${e.durationMs}`,
        };
      }
      return null;
    case 'defectCount':
      if (e.defectCount < UNKNOWN_DEFECT_COUNT) {
        return {
          reason: 'INVALID_DEFECT_COUNT',
          message: `defectCount must be ${UNKNOWN_DEFECT_COUNT} (unknown) or more, got ${e.defectCount}`,
        };
      }
      return null;
    default: {
      const problem = idProblem(e[field]);
      return problem === null
        ? null
        : { reason: 'INVALID_ID', message: `${field} ${describeValue(e[field])} ${problem}` };
    }
  }
}

/**
 * Validates one event as a machine sent it, against the rules of the domain. Pure: `nowMs` is the
 * gateway's receive time. Returns the event (unknown fields and `receivedTime` stripped) and its
 * instant, or the first failed rule. Never throws.
 *
 * Check order (deterministic; the first failure is reported):
 *  1. The event is a JSON object, else `NOT_AN_OBJECT`.
 *  2. Shape, field by field in the order eventId, eventTime, machineId, lineId, factoryId,
 *     durationMs, defectCount: absent (or `undefined`) → `MISSING_FIELD`; wrong JSON type, `null`
 *     included → `INVALID_TYPE`; a number that is not a safe integer → `NOT_AN_INTEGER`.
 *  3. Values, field by field in the same order: ids → `INVALID_ID`; eventTime → `INVALID_EVENT_TIME`
 *     then `FUTURE_EVENT_TIME` (eventTime − now > 15 min); durationMs → `INVALID_DURATION`;
 *     defectCount → `INVALID_DEFECT_COUNT`.
 */
export function validateEvent(input: unknown, nowMs: number): ValidationResult {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return {
      ok: false,
      eventId: null,
      reason: 'NOT_AN_OBJECT',
      message: `event must be a JSON object, got ${describeValue(input)}`,
    };
  }
  const record = input as Record<string, unknown>;
  const rawId = Object.hasOwn(record, 'eventId') ? record.eventId : undefined;
  const eventId = typeof rawId === 'string' && idProblem(rawId) === null ? rawId : null;

  for (const field of EVENT_FIELDS) {
    const f = checkShape(field, record);
    if (f !== null) return { ok: false, eventId, ...f };
  }
  const event: MachineEvent = {
    eventId: record.eventId as string,
    eventTime: record.eventTime as string,
    machineId: record.machineId as string,
    lineId: record.lineId as string,
    factoryId: record.factoryId as string,
    durationMs: record.durationMs as number,
    defectCount: record.defectCount as number,
  };
  let eventTimeMs = Number.NaN;
  for (const field of EVENT_FIELDS) {
    if (field === 'eventTime') {
      const t = checkEventTime(event.eventTime, nowMs);
      if (typeof t !== 'number') return { ok: false, eventId, ...t };
      eventTimeMs = t; // parsed once: the instant is every event's hottest check
      continue;
    }
    const f = checkValue(field, event);
    if (f !== null) return { ok: false, eventId, ...f };
  }
  return { ok: true, value: { event, eventTimeMs } };
}
