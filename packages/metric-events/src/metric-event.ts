/**
 * A metric event as the stream keeps it once validated: the client's fields, the timestamp in its
 * one canonical form (UTC, milliseconds, `YYYY-MM-DDThh:mm:ss.sssZ`) and as epoch ms.
 */
export type MetricEvent = {
  clientId: string;
  /** Where the client says the event comes from; null when the client sent none. */
  source: string | null;
  metric: string;
  amount: number;
  /** Canonical ISO form (see `canonicalTimestamp`). */
  timestamp: string;
  timestampMs: number;
};

/**
 * `amount` is a JSON integer within ±(2^53 − 1) (a safe integer): exact in JSON, in JavaScript and
 * in ClickHouse's Int64 column. Totals are summed as Int128 in ClickHouse, so no window can overflow
 * (2^53 × 2^64 events would be needed).
 */
export const MAX_AMOUNT = Number.MAX_SAFE_INTEGER;
export const MIN_AMOUNT = -Number.MAX_SAFE_INTEGER;

/** Timestamps ClickHouse's DateTime64(3) holds: 1900-01-01 inclusive to 2299-12-31 inclusive. */
export const MIN_TIMESTAMP_MS = Date.UTC(1900, 0, 1);
export const MAX_TIMESTAMP_MS = Date.UTC(2300, 0, 1) - 1;

/**
 * Every reason a metric event is rejected for (or fails). Stable codes: they appear in HTTP answers,
 * on the failed topic and in GET /events/failed. Add codes; never rename or reuse one.
 */
export const METRIC_FAILURE_REASONS = {
  NOT_AN_OBJECT: { description: 'The event is not a JSON object.' },
  MISSING_FIELD: {
    description: 'client_id, payload, payload.metric, payload.amount or payload.timestamp is absent.',
  },
  INVALID_TYPE: {
    description:
      'A field has the wrong JSON type: client_id, source, metric or timestamp not a string, payload not an object, amount not a JSON number (e.g. "100"), simulateFailure not a boolean, or null where a value is required.',
  },
  INVALID_CLIENT_ID: {
    description: 'client_id is empty, longer than 128 Unicode code points, or contains a control character.',
  },
  INVALID_SOURCE: {
    description: 'source is empty, longer than 128 code points, or contains a control character.',
  },
  INVALID_METRIC: {
    description: 'metric is empty, longer than 128 code points, or contains a control character.',
  },
  NOT_AN_INTEGER: { description: 'amount is a number but not an integer (e.g. 1.5).' },
  AMOUNT_OUT_OF_RANGE: { description: 'amount is outside ±9 007 199 254 740 991 (±(2^53 − 1)).' },
  INVALID_TIMESTAMP: {
    description:
      'timestamp is not an ISO-8601 date-time with a zone (Z, ±hh:mm or ±hhmm), names a date or time that does not exist, or is outside 1900–2299.',
  },
  SIMULATED_FAILURE_NOT_ALLOWED: {
    description: 'simulateFailure is true but SHOPFLOOR_ALLOW_SIMULATED_FAILURES is off.',
  },
  SIMULATED_FAILURE: {
    description:
      'The client asked for a simulated failure: the event was recorded, its processing failed on purpose, and it is never counted.',
  },
  UNDECODABLE_RECORD: {
    description: 'The processor could not decode a raw record (a bug or a foreign writer).',
  },
} as const;

export type MetricFailureReason = keyof typeof METRIC_FAILURE_REASONS;

/** The reasons validation gives (the others come from processing). */
export type MetricRejectionReason = Exclude<MetricFailureReason, 'SIMULATED_FAILURE' | 'UNDECODABLE_RECORD'>;
