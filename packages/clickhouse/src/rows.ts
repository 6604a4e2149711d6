import type { z } from 'zod';
import type { ClickHouseWriter } from './client.ts';
import { ClickHouseAdapterError } from './errors.ts';

/** Validates rows against a table's zod schema; the first bad row fails the whole insert. */
export function parseRows<T>(schema: z.ZodType<T>, table: string, rows: readonly unknown[]): T[] {
  return rows.map((row, index) => {
    const result = schema.safeParse(row);
    if (!result.success) {
      throw new ClickHouseAdapterError(
        'CLICKHOUSE_INVALID_ROW',
        `${table} row ${index}: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      );
    }
    return result.data;
  });
}

/** Parses query result rows; a mismatch means the schema and the code disagree. */
export function parseResult<T>(schema: z.ZodType<T>, what: string, rows: readonly unknown[]): T[] {
  return rows.map((row) => {
    const result = schema.safeParse(row);
    if (!result.success) {
      throw new ClickHouseAdapterError('CLICKHOUSE_INVALID_RESULT', `${what}: ${result.error.message}`);
    }
    return result.data;
  });
}

/**
 * A deduplication token: a replayed insert must carry the same token as the original, so it is
 * derived from what identifies the batch (e.g. `topic:partition:minOffset-maxOffset`).
 */
export function assertDedupToken(token: string): void {
  if (token.length === 0 || token.length > 1024) {
    throw new ClickHouseAdapterError('CLICKHOUSE_INVALID_ROW', 'dedupToken must be 1..1024 characters');
  }
}

/** Settings that make a replayed insert with the same token a no-op in the table AND its views. */
export function dedupSettings(token: string) {
  assertDedupToken(token);
  return {
    insert_deduplicate: 1,
    insert_deduplication_token: token,
    deduplicate_blocks_in_dependent_materialized_views: 1,
  } as const;
}

/**
 * A table's insert function: validates `rows` and inserts them once, keyed by `dedupToken` if
 * given. `validate: false` skips the check, for rows a projector built whole (every field given,
 * defaults included) from records its codecs already decoded: the check would repeat Avro's.
 */
export type TableInsert<Row> = (
  writer: ClickHouseWriter,
  rows: readonly Row[],
  options?: { dedupToken?: string; validate?: boolean },
) => Promise<void>;

/**
 * The insert of a table written by one JSONCompactEachRow insert: validates the rows against
 * `schema` (the first bad one fails the insert; none with `validate: false`) and inserts `toValues`
 * of each (values in `columns` order); no rows, no insert. With a `dedupToken`, a replay of the
 * insert is a no-op in the table and in its materialized views.
 */
export function tableInserter<S extends z.ZodType>(spec: {
  table: string;
  columns: readonly string[];
  schema: S;
  toValues: (row: z.output<S>) => unknown[];
}): TableInsert<z.input<S>> {
  return async (writer, rows, options = {}) => {
    const valid =
      options.validate === false
        ? (rows as readonly z.output<S>[])
        : (parseRows(spec.schema, spec.table, rows) as z.output<S>[]);
    if (valid.length === 0) return;
    await writer.insert({
      table: spec.table,
      columns: spec.columns,
      format: 'JSONCompactEachRow',
      values: valid.map(spec.toValues),
      ...(options.dedupToken === undefined ? {} : { settings: dedupSettings(options.dedupToken) }),
    });
  };
}
