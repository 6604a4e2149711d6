import type { ClickHouseWriter } from '../client.ts';
import { type EventChangeRow, type InsertEventChangesOptions, insertEventChanges } from '../event-changes.ts';

// TabSeparated became the production format of insertEventChanges (the projector's hot path); these
// names stay for the benchmarks' bulk preload and the tests written against them.
export { encodeEventChangesTabSeparated as encodeTabSeparated } from '../event-changes.ts';
export { escapeTabSeparated } from '../tab-separated.ts';

/** `insertEventChanges` in TabSeparated: same table, same token semantics, one block. */
export function insertEventChangesTabSeparated(
  writer: ClickHouseWriter,
  rows: readonly EventChangeRow[],
  options: Omit<InsertEventChangesOptions, 'format'>,
): Promise<void> {
  return insertEventChanges(writer, rows, { ...options, format: 'TabSeparated' });
}
