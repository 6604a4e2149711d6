/** Every error code the HTTP API answers with. A test checks each one is documented in the README. */
export const HTTP_ERRORS = {
  INVALID_JSON: { status: 400, retriable: false, message: 'The request body is not valid JSON.' },
  BODY_NOT_ARRAY: {
    status: 400,
    retriable: false,
    message: 'The request body must be a JSON array of events.',
  },
  INVALID_QUERY: { status: 400, retriable: false, message: 'A query parameter is missing or invalid.' },
  NOT_FOUND: { status: 404, retriable: false, message: 'No such resource.' },
  PAYLOAD_TOO_LARGE: { status: 413, retriable: false, message: 'The request body is larger than allowed.' },
  TOO_MANY_EVENTS: { status: 413, retriable: false, message: 'The batch holds more events than allowed.' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, retriable: false, message: 'Send the body as application/json.' },
  KAFKA_UNAVAILABLE: {
    status: 503,
    retriable: true,
    message: 'The event log is unavailable; nothing of this request was acknowledged. Retry later.',
  },
  OVERLOADED: {
    status: 503,
    retriable: true,
    message:
      'The gateway has too many events in flight; nothing of this request was acknowledged. Retry later.',
  },
  CLICKHOUSE_UNAVAILABLE: { status: 503, retriable: true, message: 'The statistics store is unavailable.' },
  INTERNAL: { status: 500, retriable: true, message: 'Internal error.' },
} as const;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;

export class HttpError extends Error {
  readonly status: number;
  readonly retriable: boolean;

  constructor(
    readonly code: HttpErrorCode,
    message: string = HTTP_ERRORS[code].message,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'HttpError';
    this.status = HTTP_ERRORS[code].status;
    this.retriable = HTTP_ERRORS[code].retriable;
  }
}
