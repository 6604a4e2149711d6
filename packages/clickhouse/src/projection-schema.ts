import { z } from 'zod';
import type { ClickHouseReader, ClickHouseWriter, InsertRequest } from './client.ts';
import { parseResult } from './rows.ts';

/** The tables the projector inserts into: every projection derives from these. */
export const PROJECTOR_ROOT_TABLES = ['event_changes', 'rejected_events', 'batch_events'] as const;

/** A table or materialized view of the projection, with the DDL that created it (fully qualified). */
export type SchemaObject = { name: string; createQuery: string };

/** The projection of one database: its tables (roots and view targets) and the views between them. */
export type ProjectionSchema = { database: string; tables: SchemaObject[]; views: SchemaObject[] };

const objectSchema = z.object({ name: z.string(), engine: z.string(), createQuery: z.string() });

/** The database the statements of `reader` run in (the session's current one). */
export async function currentDatabase(reader: ClickHouseReader): Promise<string> {
  const [row] = parseResult(
    z.object({ db: z.string() }),
    'current database',
    await reader.query('SELECT currentDatabase() AS db'),
  );
  return row!.db;
}

/**
 * Finds the projection in `database`: the root tables (the events projector's by default; each
 * stream names its own) and, transitively, every materialized view reading one of its tables and
 * the view's target. Found from system.tables rather than listed, so a view added by a later
 * migration is rebuilt too.
 */
export async function readProjectionSchema(
  reader: ClickHouseReader,
  database: string,
  roots: readonly string[] = PROJECTOR_ROOT_TABLES,
): Promise<ProjectionSchema> {
  const rows = parseResult(
    objectSchema,
    'projection schema',
    await reader.query(
      `SELECT name, engine, create_table_query AS createQuery FROM system.tables
       WHERE database = {database:String} ORDER BY name`,
      { params: { database } },
    ),
  );
  const byName = new Map(rows.map((r) => [r.name, r]));
  const tables = new Set<string>(roots.filter((t) => byName.has(t)));
  const views = new Set<string>();
  for (let grew = true; grew; ) {
    grew = false;
    for (const r of rows) {
      if (r.engine !== 'MaterializedView' || views.has(r.name)) continue;
      const { target, source } = viewEnds(r.createQuery, database);
      if (!source || !tables.has(source) || !target) continue;
      views.add(r.name);
      tables.add(target);
      grew = true;
    }
  }
  const pick = (names: Set<string>) =>
    [...names].sort().map((name) => ({ name, createQuery: byName.get(name)!.createQuery }));
  return { database, tables: pick(tables), views: pick(views) };
}

/** The target (`TO db.t`) and the source (`FROM db.s`) of a materialized view in `database`. */
export function viewEnds(createQuery: string, database: string): { target?: string; source?: string } {
  const name = `(?:\`?${escapeRegExp(database)}\`?\\.)\`?(\\w+)\`?`;
  const target = new RegExp(`\\bTO\\s+${name}`).exec(createQuery)?.[1];
  const source = new RegExp(`\\bFROM\\s+${name}`).exec(createQuery)?.[1];
  return { ...(target ? { target } : {}), ...(source ? { source } : {}) };
}

/** The DDL of `createQuery` (fully qualified in `from`) moved to database `to`. */
export function inDatabase(createQuery: string, from: string, to: string): string {
  return createQuery.replace(new RegExp(`(?<![\\w.])\`?${escapeRegExp(from)}\`?\\.`, 'g'), `${to}.`);
}

/** A writer whose inserts go to the tables of `database` (queries and commands are passed as they are). */
export function writerIntoDatabase(writer: ClickHouseWriter, database: string): ClickHouseWriter {
  return Object.freeze({
    mode: writer.mode,
    query: writer.query,
    command: writer.command,
    insert: (request: InsertRequest) => writer.insert({ ...request, table: `${database}.${request.table}` }),
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
