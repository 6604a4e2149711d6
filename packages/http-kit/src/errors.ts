/**
 * Every error code the HTTP API answers with. A test checks each one is documented in the README
 * (with its Retry-After for the 503s). A 503 carries the Retry-After its code says, so no route
 * picks one of its own.
 */
export const HTTP_ERRORS = {
  INVALID_JSON: { status: 400, retriable: false, message: 'The request body is not valid JSON.' },
  BODY_NOT_ARRAY: {
    status: 400,
    retriable: false,
    message: 'The request body must be a JSON array of events.',
  },
  INVALID_BODY: {
    status: 400,
    retriable: false,
    message: 'The request body does not have the expected shape.',
  },
  JSON_TOO_DEEP: {
    status: 400,
    retriable: false,
    message: 'The request body nests arrays or objects deeper than allowed.',
  },
  INVALID_QUERY: { status: 400, retriable: false, message: 'A query parameter is missing or invalid.' },
  UNAUTHORIZED: {
    status: 401,
    retriable: false,
    message: 'Send a valid API key as X-API-Key or Authorization: Bearer.',
  },
  FORBIDDEN_ROLE: { status: 403, retriable: false, message: "The API key's role does not allow this." },
  FORBIDDEN_SCOPE: {
    status: 403,
    retriable: false,
    message: "The data asked for belongs to a factory outside the API key's scope.",
  },
  MACHINE_OUT_OF_SCOPE: {
    status: 403,
    retriable: false,
    message: "The machine has events in a factory outside the API key's scope.",
  },
  NOT_FOUND: { status: 404, retriable: false, message: 'No such resource.' },
  PAYLOAD_TOO_LARGE: { status: 413, retriable: false, message: 'The request body is larger than allowed.' },
  TOO_MANY_EVENTS: { status: 413, retriable: false, message: 'The batch holds more events than allowed.' },
  RATE_LIMITED: {
    status: 429,
    retriable: false,
    message: 'This API key made too many requests; retry after the Retry-After seconds.',
  },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, message: 'Send the body as application/json.' },
  KAFKA_UNAVAILABLE: {
    status: 503,
    retriable: true,
    retryAfterSeconds: 5,
    message: 'The event log is unavailable; nothing of this request was acknowledged. Retry later.',
  },
  OVERLOADED: {
    status: 503,
    retriable: true,
    retryAfterSeconds: 1,
    message:
      'The server has too many records in flight; nothing of this request was acknowledged. Retry later.',
  },
  CLICKHOUSE_UNAVAILABLE: {
    status: 503,
    retriable: true,
    retryAfterSeconds: 2,
    message: 'The statistics store is unavailable.',
  },
  PIPELINE_UNAVAILABLE: {
    status: 503,
    retriable: true,
    retryAfterSeconds: 2,
    message: 'The pipeline process behind this port did not answer. Retry later.',
  },
  INTERNAL: { status: 500, retriable: true, message: 'Internal error.' },
} as const satisfies Record<
  string,
  { status: number; retriable: boolean; message: string; retryAfterSeconds?: number }
>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

/** The Retry-After (seconds) of a code, or undefined when a retry would not help or is not timed. */
export function retryAfterSeconds(code: HttpErrorCode): number | undefined {
  const entry = HTTP_ERRORS[code];
  return 'retryAfterSeconds' in entry ? entry.retryAfterSeconds : undefined;
}

export class HttpError extends Error {
  readonly status: number;
  readonly retriable: boolean;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: HttpErrorCode,
    message: string = HTTP_ERRORS[code].message,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = HTTP_ERRORS[code].status;
    this.retriable = HTTP_ERRORS[code].retriable;
    this.retryAfterSeconds = retryAfterSeconds(code);
  }
}
