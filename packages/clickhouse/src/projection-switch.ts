import { z } from 'zod';
import type { ClickHouseWriter } from './client.ts';
import { currentDatabase, inDatabase, type ProjectionSchema } from './projection-schema.ts';
import { parseResult } from './rows.ts';

// A rebuild builds the projection in a database of its own next to the serving one, then switches:
// the serving database's views are dropped, every table is exchanged with its rebuilt twin in one
// EXCHANGE TABLES statement, and the views are created again from their own DDL. Views are re-created
// rather than exchanged or kept because which table a view follows across EXCHANGE differs between
// database engines and versions (by name in chdb's Overlay database, by UUID for the target in an
// Atomic one; ClickHouse#105021 for the source): re-created from their DDL they read and write the
// tables that bear the names, whatever the engine.

/** Where a rebuild of `database` builds its tables. */
export const rebuildDatabaseOf = (database: string): string => `${database}__rebuild`;

const JOURNAL = 'rebuild_switch_journal';

/** Drops what an earlier rebuild left and creates empty twins of every projection table and view. */
export async function createRebuildDatabase(
  writer: ClickHouseWriter,
  serving: ProjectionSchema,
): Promise<string> {
  const rebuild = rebuildDatabaseOf(serving.database);
  await writer.command(`DROP DATABASE IF EXISTS ${rebuild} SYNC`);
  await writer.command(`CREATE DATABASE ${rebuild}`);
  for (const t of serving.tables) await writer.command(inDatabase(t.createQuery, serving.database, rebuild));
  for (const v of serving.views) await writer.command(inDatabase(v.createQuery, serving.database, rebuild));
  return rebuild;
}

/**
 * Makes the rebuilt tables the serving ones and drops the old ones. Call it while nothing inserts
 * into either database (the projector paused). The views' DDL is journaled in the rebuild database
 * first, so a crash inside the switch is repaired by recoverProjectionSwitch.
 */
export async function switchToRebuiltTables(
  writer: ClickHouseWriter,
  serving: ProjectionSchema,
): Promise<void> {
  const rebuild = rebuildDatabaseOf(serving.database);
  const db = serving.database;
  await writer.command(
    `CREATE TABLE IF NOT EXISTS ${rebuild}.${JOURNAL} (name String, create_query String) ENGINE = MergeTree ORDER BY name`,
  );
  await writer.insert({
    table: `${rebuild}.${JOURNAL}`,
    columns: ['name', 'create_query'],
    format: 'JSONEachRow',
    values: serving.views.map((v) => ({ name: v.name, create_query: v.createQuery })),
  });
  // The rebuild's own views go first: once exchanged, an Atomic database's views would follow the
  // tables by UUID and feed the serving targets a second time.
  for (const v of serving.views) await writer.command(`DROP VIEW IF EXISTS ${rebuild}.${v.name} SYNC`);
  for (const v of serving.views) await writer.command(`DROP VIEW IF EXISTS ${db}.${v.name} SYNC`);
  const pairs = serving.tables.map((t) => `${db}.${t.name} AND ${rebuild}.${t.name}`).join(', ');
  await writer.command(`EXCHANGE TABLES ${pairs}`);
  for (const v of serving.views) await writer.command(v.createQuery);
  await writer.command(`DROP DATABASE IF EXISTS ${rebuild} SYNC`);
}

/**
 * Run at start-up, before anything inserts (and by the rebuild itself). If a switch was cut short
 * (views dropped, not yet re-created), re-creates the journaled views in `database`: the serving
 * tables were either exchanged or not, and both are a whole projection at the position where the
 * projector was paused, so the views make it consistent again. Then drops whatever a rebuild left
 * (a crash mid-copy leaves a half-built rebuild database): a later rebuild starts over.
 * Returns the views it re-created.
 */
export async function recoverProjectionSwitch(
  writer: ClickHouseWriter,
  database?: string,
): Promise<string[]> {
  if (database === undefined) return recoverProjectionSwitch(writer, await currentDatabase(writer));
  const rebuild = rebuildDatabaseOf(database);
  const journal = await writer.query(
    'SELECT 1 FROM system.tables WHERE database = {db:String} AND name = {t:String}',
    { params: { db: rebuild, t: JOURNAL } },
  );
  const recreated: string[] = [];
  if (journal.length > 0) {
    const journaled = parseResult(
      z.object({ name: z.string(), createQuery: z.string() }),
      'switch journal',
      await writer.query(`SELECT name, create_query AS createQuery FROM ${rebuild}.${JOURNAL} ORDER BY name`),
    );
    // Every view of the database, whichever stream's projection it belongs to (a rebuild may switch several).
    const present = new Set(
      (
        await writer.query(
          "SELECT name FROM system.tables WHERE database = {db:String} AND engine = 'MaterializedView'",
          { params: { db: database } },
        )
      ).map((r) => String(r.name)),
    );
    for (const v of journaled) {
      if (present.has(v.name)) continue;
      await writer.command(v.createQuery);
      recreated.push(v.name);
    }
  }
  await writer.command(`DROP DATABASE IF EXISTS ${rebuild} SYNC`);
  return recreated;
}
