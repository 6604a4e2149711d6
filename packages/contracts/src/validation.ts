import { z } from 'zod';
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

/**
 * Every reason an event can be rejected for. The codes are stable: they appear in HTTP responses,
 * in the dead-letter topic and in dashboards. Add codes; never rename or reuse one.
 */
export const REJECTION_REASONS = {
  NOT_AN_OBJECT: {
    description: 'The event is not a JSON object (it is null, an array, a string, a number or a boolean).',
  },
  MISSING_FIELD: { description: 'A required field is absent.' },
  INVALID_TYPE: {
    description:
      'A field has the wrong JSON type: an id or eventTime that is not a string, a number field that is not a JSON number (e.g. "100"), or null.',
  },
  NOT_AN_INTEGER: {
    description: 'durationMs or defectCount is a number but not a safe integer (e.g. 1.5 or 1e300).',
  },
  INVALID_ID: {
    description:
      'eventId, machineId, lineId or factoryId is empty, longer than 128 Unicode code points, or contains a control character or an unpaired surrogate.',
  },
  INVALID_EVENT_TIME: {
    description:
      'eventTime is not an ISO-8601 date-time with a zone (Z, ±hh:mm or ±hhmm), or names a date or time that does not exist, or is before 1900.',
  },
  FUTURE_EVENT_TIME: {
    description: 'eventTime is more than 15 minutes after the time the gateway received it.',
  },
  INVALID_DURATION: { description: 'durationMs is below 0 or above 21 600 000 (6 hours).' },
  INVALID_DEFECT_COUNT: { description: 'defectCount is below -1 (-1 means unknown).' },
  OUT_OF_SCOPE: {
    description:
      'factoryId is not one of the factories of the machine API key that posted the event (checked only when API keys are required).',
  },
} as const satisfies Record<string, { description: string }>;

export type RejectionReason = keyof typeof REJECTION_REASONS;
export const REJECTION_REASON_CODES = Object.keys(REJECTION_REASONS) as RejectionReason[];
export const rejectionReasonSchema = z.enum(
  REJECTION_REASON_CODES as [RejectionReason, ...RejectionReason[]],
);

/** The reason codes as a Markdown table (`| Code | Meaning |`), for the README and API docs. */
export function rejectionReasonsMarkdown(): string {
  const rows = REJECTION_REASON_CODES.map(
    (code) => `| \`${code}\` | ${REJECTION_REASONS[code].description} |`,
  );
  return ['| Code | Meaning |', '| --- | --- |', ...rows].join('\n');
}

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

/** Format and range of one field whose shape is known to be right (check pass 2). */
function checkValue(field: EventField, e: MachineEvent, nowMs: number): Failure | null {
  switch (field) {
    case 'eventTime': {
      const t = parseInstantDetailed(e.eventTime);
      if (!t.ok) {
        return {
          reason: 'INVALID_EVENT_TIME',
          message: `eventTime ${JSON.stringify(e.eventTime)} ${t.problem}`,
        };
      }
      if (t.ms < MIN_EVENT_TIME_MS) {
        return {
          reason: 'INVALID_EVENT_TIME',
          message: `eventTime ${JSON.stringify(e.eventTime)} is before 1900-01-01T00:00:00Z, the earliest supported`,
        };
      }
      if (t.ms - nowMs > MAX_FUTURE_SKEW_MS) {
        return {
          reason: 'FUTURE_EVENT_TIME',
          message:
            `eventTime ${JSON.stringify(e.eventTime)} is ${t.ms - nowMs} ms after the receive time; ` +
            `at most ${MAX_FUTURE_SKEW_MS} ms (15 min) is allowed`,
        };
      }
      return null;
    }
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
  for (const field of EVENT_FIELDS) {
    const f = checkValue(field, event, nowMs);
    if (f !== null) return { ok: false, eventId, ...f };
  }
  const t = parseInstantDetailed(event.eventTime);
  // Unreachable: pass 3 already parsed eventTime. Kept so the type narrows without a cast.
  if (!t.ok) return { ok: false, eventId, reason: 'INVALID_EVENT_TIME', message: t.problem };
  return { ok: true, value: { event, eventTimeMs: t.ms } };
}
