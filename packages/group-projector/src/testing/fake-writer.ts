// A ClickHouseWriter port fake for unit tests of the projectors' steps: it keeps every insert
// and can fail the next inserts into a table.
import type { ClickHouseWriter, InsertRequest } from '@shopfloor/clickhouse';

export type RecordedInsert = { table: string; token: string | undefined; values: readonly unknown[] };

export function fakeWriter() {
  const inserts: RecordedInsert[] = [];
  const failures = new Map<string, number>();
  const writer: ClickHouseWriter = {
    mode: 'embedded',
    async query() {
      return [];
    },
    async command() {},
    async insert(request: InsertRequest) {
      const left = failures.get(request.table) ?? 0;
      if (left > 0) {
        failures.set(request.table, left - 1);
        throw new Error(`insert into ${request.table} failed`);
      }
      const token = request.settings?.insert_deduplication_token;
      inserts.push({
        table: request.table,
        token: typeof token === 'string' ? token : undefined,
        // A TabSeparated body is one row per line (a newline inside a value is escaped).
        values: typeof request.values === 'string' ? request.values.split('\n').slice(0, -1) : request.values,
      });
    },
  };
  return {
    writer,
    inserts,
    /** The next `times` inserts into `table` throw. */
    failNext(table: string, times: number) {
      failures.set(table, times);
    },
  };
}
