import { idProblem, parseInstantDetailed } from '@shopfloor/contracts';
import { z } from 'zod';
import {
  MAX_AMOUNT,
  MAX_TIMESTAMP_MS,
  type MetricEvent,
  type MetricRejectionReason,
  MIN_AMOUNT,
  MIN_TIMESTAMP_MS,
} from './metric-event.ts';
import { canonicalTimestamp, metricEventId } from './metric-event-identity.ts';

/** A validated event with its id, and whether the client asked for a simulated failure. */
export type AcceptedMetricEvent = { id: string; event: MetricEvent; simulateFailure: boolean };

export type MetricEventValidation =
  | { ok: true; value: AcceptedMetricEvent }
  | {
      ok: false;
      reason: MetricRejectionReason;
      message: string;
      /** The client_id when the event has a usable one (a rejection is listed under it). */
      clientId: string | null;
    };

export type ValidationOptions = { allowSimulatedFailures: boolean };

type Problem = { reason: MetricRejectionReason; message: string };

const kindOf = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** A required string field: absent, wrong type, or an id problem, each with its reason. */
function stringField(
  value: unknown,
  name: string,
  invalid: MetricRejectionReason,
): { ok: true; value: string } | ({ ok: false } & Problem) {
  if (value === undefined) return { ok: false, reason: 'MISSING_FIELD', message: `${name} is missing` };
  if (typeof value !== 'string') {
    return { ok: false, reason: 'INVALID_TYPE', message: `${name} must be a string, got ${kindOf(value)}` };
  }
  const problem = idProblem(value);
  return problem === null
    ? { ok: true, value }
    : { ok: false, reason: invalid, message: `${name} ${problem}` };
}

/** The JSON shapes, as zod sees them: used for the types only where a reason code must be precise. */
const amountSchema = z.number().int().min(MIN_AMOUNT).max(MAX_AMOUNT);

function amountProblem(value: unknown): Problem | null {
  if (value === undefined) return { reason: 'MISSING_FIELD', message: 'payload.amount is missing' };
  if (typeof value !== 'number') {
    return { reason: 'INVALID_TYPE', message: `payload.amount must be a JSON number, got ${kindOf(value)}` };
  }
  if (!Number.isInteger(value)) {
    return { reason: 'NOT_AN_INTEGER', message: `payload.amount must be an integer, got ${value}` };
  }
  if (!amountSchema.safeParse(value).success) {
    return {
      reason: 'AMOUNT_OUT_OF_RANGE',
      message: `payload.amount must be within ±${MAX_AMOUNT}, got ${value}`,
    };
  }
  return null;
}

function timestampOf(value: unknown): { ok: true; ms: number } | ({ ok: false } & Problem) {
  if (value === undefined)
    return { ok: false, reason: 'MISSING_FIELD', message: 'payload.timestamp is missing' };
  if (typeof value !== 'string') {
    return {
      ok: false,
      reason: 'INVALID_TYPE',
      message: `payload.timestamp must be a string, got ${kindOf(value)}`,
    };
  }
  const parsed = parseInstantDetailed(value);
  if (!parsed.ok) {
    return { ok: false, reason: 'INVALID_TIMESTAMP', message: `payload.timestamp ${parsed.problem}` };
  }
  if (parsed.ms < MIN_TIMESTAMP_MS || parsed.ms > MAX_TIMESTAMP_MS) {
    return { ok: false, reason: 'INVALID_TIMESTAMP', message: 'payload.timestamp must be within 1900–2299' };
  }
  return { ok: true, ms: parsed.ms };
}

/**
 * Validates one posted event `{client_id, source?, payload: {metric, amount, timestamp},
 * simulateFailure?}`. Nothing is defaulted: a missing or malformed field is the first failed rule,
 * checked in a fixed order (client_id, source, payload, metric, amount, timestamp, simulateFailure).
 * Unknown fields are ignored. Pure, never throws.
 */
export function validateMetricEvent(input: unknown, options: ValidationOptions): MetricEventValidation {
  if (!isObject(input)) {
    return {
      ok: false,
      reason: 'NOT_AN_OBJECT',
      message: `the event must be a JSON object, got ${kindOf(input)}`,
      clientId: null,
    };
  }
  const client = stringField(input.client_id, 'client_id', 'INVALID_CLIENT_ID');
  if (!client.ok) return { ok: false, reason: client.reason, message: client.message, clientId: null };
  const reject = (p: Problem): MetricEventValidation => ({ ok: false, ...p, clientId: client.value });

  let source: string | null = null;
  if (input.source !== undefined && input.source !== null) {
    const s = stringField(input.source, 'source', 'INVALID_SOURCE');
    if (!s.ok) return reject(s);
    source = s.value;
  }
  const payload = input.payload;
  if (payload === undefined) return reject({ reason: 'MISSING_FIELD', message: 'payload is missing' });
  if (!isObject(payload)) {
    return reject({
      reason: 'INVALID_TYPE',
      message: `payload must be a JSON object, got ${kindOf(payload)}`,
    });
  }
  const metric = stringField(payload.metric, 'payload.metric', 'INVALID_METRIC');
  if (!metric.ok) return reject(metric);
  const amountIssue = amountProblem(payload.amount);
  if (amountIssue) return reject(amountIssue);
  const amount = payload.amount as number;
  const ts = timestampOf(payload.timestamp);
  if (!ts.ok) return reject(ts);

  const flag = input.simulateFailure;
  if (flag !== undefined && typeof flag !== 'boolean') {
    return reject({
      reason: 'INVALID_TYPE',
      message: `simulateFailure must be a boolean, got ${kindOf(flag)}`,
    });
  }
  if (flag === true && !options.allowSimulatedFailures) {
    return reject({
      reason: 'SIMULATED_FAILURE_NOT_ALLOWED',
      message: 'simulateFailure is accepted only when SHOPFLOOR_ALLOW_SIMULATED_FAILURES is on',
    });
  }
  const event: MetricEvent = {
    clientId: client.value,
    source,
    metric: metric.value,
    amount,
    timestamp: canonicalTimestamp(ts.ms),
    timestampMs: ts.ms,
  };
  return { ok: true, value: { id: metricEventId(event), event, simulateFailure: flag === true } };
}
