import { rmSync } from 'node:fs';
import type { ClickHouseWriter } from '@shopfloor/clickhouse';

/** Tables the migrations made that hold data derived from the log (not schema_migrations). */
export async function derivedTables(writer: ClickHouseWriter): Promise<string[]> {
  const rows = await writer.query(
    `SELECT name FROM system.tables
     WHERE database = currentDatabase() AND engine NOT IN ('MaterializedView', 'View')
       AND name != 'schema_migrations' AND NOT is_temporary
     ORDER BY name`,
  );
  return rows.map((r) => String(r.name));
}

/**
 * Empties every derived ClickHouse table (the schema stays; the projector refills them from the
 * log). Table names come from system.tables, never from input.
 */
export async function truncateDerivedTables(writer: ClickHouseWriter): Promise<string[]> {
  const tables = await derivedTables(writer);
  for (const table of tables) await writer.command(`TRUNCATE TABLE IF EXISTS \`${table}\``);
  return tables;
}

/** Removes one dedupe process's local state (LMDB and its recorded topic id): restored from 0. */
export function removeStateDir(stateDir: string): void {
  rmSync(stateDir, { recursive: true, force: true });
}
