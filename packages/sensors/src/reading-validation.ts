import { codePointLength, idProblem, MAX_FUTURE_SKEW_MS, parseEventTime } from '@shopfloor/contracts';
import {
  DEFAULT_UNITS,
  isSensorType,
  MAX_UNIT_CODE_POINTS,
  SENSOR_TYPES,
  type SensorReading,
} from './reading.ts';
import { pastHorizon } from './seen-identities.ts';

/**
 * Every reason a reading can be rejected for. Stable codes: they appear in HTTP answers and in the
 * dead-letter topic. Add codes; never rename or reuse one.
 */
export const READING_REJECTION_REASONS = {
  NOT_AN_OBJECT: { description: 'The reading is not a JSON object.' },
  MISSING_FIELD: { description: 'equipmentId, sensorType, value or timestamp is absent.' },
  INVALID_TYPE: {
    description:
      'A field has the wrong JSON type: an id, sensorType, unit or timestamp that is not a string, a value that is not a JSON number (e.g. "21.5"), or null.',
  },
  INVALID_ID: {
    description:
      'readingId or equipmentId is empty, longer than 128 Unicode code points, or contains a control character or an unpaired surrogate.',
  },
  INVALID_SENSOR_TYPE: { description: `sensorType is not one of ${SENSOR_TYPES.join(', ')}.` },
  INVALID_VALUE: { description: 'value is not a finite number (e.g. 1e999 overflows to infinity).' },
  INVALID_UNIT: {
    description: `unit is empty, longer than ${MAX_UNIT_CODE_POINTS} code points, or contains a control character.`,
  },
  INVALID_TIMESTAMP: {
    description:
      'timestamp is not an ISO-8601 date-time with a zone (Z, ±hh:mm or ±hhmm), names a date or time that does not exist, or is before 1900.',
  },
  FUTURE_TIMESTAMP: {
    description: 'timestamp is more than 15 minutes after the time the gateway received the reading.',
  },
  STALE_TIMESTAMP: {
    description:
      'timestamp is older than the state horizon (SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS) before the time the gateway received the reading: its identity may have left the dedupe state, so it could not be told from a re-sent copy.',
  },
} as const satisfies Record<string, { description: string }>;

export type ReadingRejectionReason = keyof typeof READING_REJECTION_REASONS;
export const READING_REJECTION_REASON_CODES = Object.keys(
  READING_REJECTION_REASONS,
) as ReadingRejectionReason[];

export type ReadingValidation =
  | { ok: true; value: SensorReading }
  | { ok: false; readingId: string | null; reason: ReadingRejectionReason; message: string };

const REQUIRED_FIELDS = ['equipmentId', 'sensorType', 'value', 'timestamp'] as const;

/**
 * Validates one element of a `readings` array against the time the gateway received it. Checks run
 * in a fixed order (shape, then field by field: readingId, equipmentId, sensorType, value, unit,
 * timestamp, then the clock rules), so a reading with several problems always gets the same reason.
 * `horizonMs`: the state horizon, if any (older readings are STALE_TIMESTAMP).
 */
export function validateReading(
  input: unknown,
  receivedAtMs: number,
  horizonMs?: number | undefined,
): ReadingValidation {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    return reject(null, 'NOT_AN_OBJECT', 'a reading must be a JSON object');
  }
  const r = input as Record<string, unknown>;
  const rawId = r.readingId;
  const readingId = typeof rawId === 'string' ? rawId : null;
  if (rawId !== undefined) {
    if (typeof rawId !== 'string') return reject(null, 'INVALID_TYPE', 'readingId must be a string');
    const problem = idProblem(rawId);
    if (problem !== null) return reject(null, 'INVALID_ID', `readingId ${problem}`);
  }
  for (const field of REQUIRED_FIELDS) {
    if (r[field] === undefined) return reject(readingId, 'MISSING_FIELD', `${field} is required`);
  }
  if (typeof r.equipmentId !== 'string')
    return reject(readingId, 'INVALID_TYPE', 'equipmentId must be a string');
  const equipmentProblem = idProblem(r.equipmentId);
  if (equipmentProblem !== null) return reject(readingId, 'INVALID_ID', `equipmentId ${equipmentProblem}`);
  if (typeof r.sensorType !== 'string')
    return reject(readingId, 'INVALID_TYPE', 'sensorType must be a string');
  if (!isSensorType(r.sensorType)) {
    return reject(readingId, 'INVALID_SENSOR_TYPE', `sensorType must be one of ${SENSOR_TYPES.join(', ')}`);
  }
  if (typeof r.value !== 'number') return reject(readingId, 'INVALID_TYPE', 'value must be a JSON number');
  if (!Number.isFinite(r.value)) return reject(readingId, 'INVALID_VALUE', 'value must be a finite number');
  const unit = r.unit ?? DEFAULT_UNITS[r.sensorType];
  if (typeof unit !== 'string') return reject(readingId, 'INVALID_TYPE', 'unit must be a string');
  if (unit.length === 0 || codePointLength(unit) > MAX_UNIT_CODE_POINTS || idProblem(unit) !== null) {
    return reject(readingId, 'INVALID_UNIT', `unit must be 1-${MAX_UNIT_CODE_POINTS} printable characters`);
  }
  if (typeof r.timestamp !== 'string') return reject(readingId, 'INVALID_TYPE', 'timestamp must be a string');
  const timestampMs = parseEventTime(r.timestamp);
  if (timestampMs === null) {
    return reject(readingId, 'INVALID_TIMESTAMP', 'timestamp must be ISO-8601 with a zone, from 1900 on');
  }
  if (timestampMs > receivedAtMs + MAX_FUTURE_SKEW_MS) {
    return reject(readingId, 'FUTURE_TIMESTAMP', 'timestamp is more than 15 minutes in the future');
  }
  if (horizonMs !== undefined && pastHorizon(timestampMs, receivedAtMs, horizonMs)) {
    return reject(readingId, 'STALE_TIMESTAMP', `timestamp is more than ${horizonMs / 1000} s in the past`);
  }
  return {
    ok: true,
    value: {
      readingId,
      equipmentId: r.equipmentId,
      sensorType: r.sensorType,
      value: r.value,
      unit,
      timestamp: r.timestamp,
      timestampMs,
    },
  };
}

function reject(
  readingId: string | null,
  reason: ReadingRejectionReason,
  message: string,
): ReadingValidation {
  return { ok: false, readingId, reason, message };
}
