/**
 * Errors in ClickHouse's own form, so drivers parse them as they parse a server's:
 * `Code: N. DB::Exception: <message>. (NAME) (version V)` in the body, the code in
 * `X-ClickHouse-Exception-Code`, and the HTTP status the server gives that code.
 */
export const CLICKHOUSE_ERROR_CODES = {
  SYNTAX_ERROR: 62,
  UNKNOWN_FORMAT: 73,
  UNKNOWN_DATABASE: 81,
  READONLY: 164,
  ACCESS_DENIED: 497,
  AUTHENTICATION_FAILED: 516,
} as const;

export type ClickHouseErrorName = keyof typeof CLICKHOUSE_ERROR_CODES;

export class ClickHouseProtocolError extends Error {
  constructor(
    readonly code: number,
    readonly text: string,
  ) {
    super(text);
    this.name = 'ClickHouseProtocolError';
  }

  /** An error this endpoint raises itself, worded as the server words it. */
  static of(name: ClickHouseErrorName, message: string): ClickHouseProtocolError {
    const code = CLICKHOUSE_ERROR_CODES[name];
    return new ClickHouseProtocolError(code, `Code: ${code}. DB::Exception: ${message}. (${name})`);
  }

  /** An error thrown by the engine: its text already has ClickHouse's form. */
  static fromEngine(err: unknown): ClickHouseProtocolError {
    const message = unwrapNested(err instanceof Error ? err.message : String(err));
    const known = /^Code: (\d+)\. /.exec(message);
    if (known) return new ClickHouseProtocolError(Number(known[1]), message);
    return new ClickHouseProtocolError(1001, `Code: 1001. DB::Exception: ${message}. (STD_EXCEPTION)`);
  }
}

// CANNOT_PARSE_* (6, 25, 26, 27, 38, 41, 72), TYPE_MISMATCH, SYNTAX_ERROR, INCORRECT_DATA.
/** chdb wraps some errors in copies of themselves: `Code: 73. DB::Exception: Code: 73. ...`. */
function unwrapNested(message: string): string {
  const nested =
    /^Code: (\d+)\. DB::Exception: (Code: \1\. DB::Exception: .*) \(version [^)]*\)\. \([A-Z_]+\)$/s;
  let current = message.trim();
  for (let m = nested.exec(current); m; m = nested.exec(current)) current = m[2]!;
  return current;
}

const BAD_REQUEST = new Set([6, 25, 26, 27, 38, 41, 53, 62, 72, 117]);
// UNKNOWN_FUNCTION, _IDENTIFIER, _TYPE, _STORAGE, _TABLE, _AGGREGATE_FUNCTION, _FORMAT, _DATABASE, _SETTING.
const NOT_FOUND = new Set([46, 47, 50, 56, 60, 63, 73, 81, 115]);

/** The HTTP status ClickHouse's HTTP handler answers for an exception code. */
export function httpStatusOf(code: number): number {
  if (code === 194) return 401; // REQUIRED_PASSWORD
  if (code === 192 || code === 193 || code === 516) return 403; // UNKNOWN_USER, WRONG_PASSWORD, AUTHENTICATION_FAILED
  if (BAD_REQUEST.has(code)) return 400;
  if (NOT_FOUND.has(code)) return 404;
  if (code === 48) return 501; // NOT_IMPLEMENTED
  if (code === 209) return 503; // SOCKET_TIMEOUT
  return 500;
}
