import type { z } from 'zod';
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
