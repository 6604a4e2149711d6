/** Every error this package raises on purpose. Each code is documented in README.md (a test checks). */
export const clickHouseErrorCodes = {
  CLICKHOUSE_CONFIG_INVALID: { message: 'ClickHouse configuration is invalid', retriable: false },
  CLICKHOUSE_UNAVAILABLE: { message: 'ClickHouse cannot be reached or opened', retriable: true },
  CLICKHOUSE_INVALID_ROW: { message: 'a row does not match its table schema', retriable: false },
  CLICKHOUSE_INVALID_RESULT: { message: 'a query result does not have the expected shape', retriable: false },
  CLICKHOUSE_MIGRATION_FAILED: { message: 'a schema migration failed', retriable: false },
} as const satisfies Record<string, { message: string; retriable: boolean }>;

export type ClickHouseErrorCode = keyof typeof clickHouseErrorCodes;

export class ClickHouseAdapterError extends Error {
  override readonly name = 'ClickHouseAdapterError';
  readonly code: ClickHouseErrorCode;
  readonly retriable: boolean;

  constructor(code: ClickHouseErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = clickHouseErrorCodes[code].message;
    super(detail === undefined ? base : `${base}: ${detail}`, options);
    this.code = code;
    this.retriable = clickHouseErrorCodes[code].retriable;
  }
}
