import type { BiEngine, StatementRequest } from './bi-engine.ts';
import { ClickHouseProtocolError } from './clickhouse-error.ts';

/** Databases a BI client may read: the BI views, and the metadata drivers and tools browse. */
export const READABLE_DATABASES: ReadonlySet<string> = new Set([
  'bi',
  'system',
  'information_schema',
  'INFORMATION_SCHEMA',
]);

/**
 * The system tables drivers and BI tools browse (metadata). The others stay closed: the logs and
 * the process list hold the text of the engine owner's statements, which carry the data it inserts.
 */
const READABLE_SYSTEM_TABLES: ReadonlySet<string> = new Set([
  'aggregate_function_combinators',
  'build_options',
  'collations',
  'columns',
  'contributors',
  'current_roles',
  'data_type_families',
  'databases',
  'dictionaries',
  'enabled_roles',
  'formats',
  'functions',
  'keywords',
  'licenses',
  'numbers',
  'numbers_mt',
  'one',
  'parts',
  'settings',
  'table_engines',
  'table_functions',
  'tables',
  'time_zones',
  'zeros',
  'zeros_mt',
]);

/** Statements that only read: SELECT (checked further below) and the metadata statements. */
const READ_KINDS =
  /^(SelectWithUnionQuery|SelectIntersectExceptQuery|ShowTables|ShowColumns|DescribeQuery|Exists\w*Query|ShowCreate\w*Query)\b/;
const SELECT_KINDS = /^(SelectWithUnionQuery|SelectIntersectExceptQuery)\b/;

/** Table functions that generate rows and read nothing (the others read files, URLs, servers). */
const GENERATING_TABLE_FUNCTIONS = new Set([
  'numbers',
  'numbers_mt',
  'zeros',
  'zeros_mt',
  'generate_series',
  'generateSeries',
  'values',
]);

/** Ordinary functions that read outside the database: `file()` reads any file of the host. */
const OUTSIDE_READING_FUNCTIONS = new Set(['file']);

const TABLE = /\bTABLE id: \d+.*\btable_name: (\S+)/;
const TABLE_FUNCTION = /\bTABLE_FUNCTION id: \d+.*\btable_function_name: (\S+)/;
const FUNCTION = /\bFUNCTION id: \d+, function_name: ([^,\s]+)/;

/**
 * Decides what a BI statement may do before it runs, from the engine's own parse (EXPLAIN AST)
 * and analysis (EXPLAIN QUERY TREE, which resolves views, CTEs and unqualified names):
 * writes, DDL and every statement that is not a read are refused with the server's readonly
 * error; a SELECT may read only the databases above. `readonly = 1` on the connection stays as
 * the second line of defence.
 */
export async function checkStatement(
  engine: BiEngine,
  user: string,
  request: StatementRequest,
): Promise<void> {
  const [kind = ''] = await engine.explain('AST', request);
  if (!READ_KINDS.test(kind)) {
    throw ClickHouseProtocolError.of('READONLY', `${user}: Cannot execute query in readonly mode`);
  }
  if (!SELECT_KINDS.test(kind)) return;
  const tree = await engine.explain('QUERY TREE', request);
  if (!/^[A-Z_]+ id: 0\b/.test(tree[0] ?? '')) {
    throw ClickHouseProtocolError.of('SYNTAX_ERROR', 'Cannot analyze the query (a FORMAT clause inside it?)');
  }
  for (const line of tree) {
    const table = TABLE.exec(line)?.[1];
    if (table !== undefined && !readable(table)) throw denied(user, `SELECT ON ${table}`);
    const tableFunction = TABLE_FUNCTION.exec(line)?.[1];
    if (tableFunction !== undefined && !GENERATING_TABLE_FUNCTIONS.has(tableFunction)) {
      throw denied(user, `CREATE TEMPORARY TABLE, ${tableFunction.toUpperCase()} ON *.*`);
    }
    const fn = FUNCTION.exec(line)?.[1];
    if (fn !== undefined && OUTSIDE_READING_FUNCTIONS.has(fn))
      throw denied(user, `${fn.toUpperCase()} ON *.*`);
  }
}

function readable(qualifiedName: string): boolean {
  const name = qualifiedName.replaceAll('`', '');
  const dot = name.indexOf('.');
  const database = dot < 0 ? name : name.slice(0, dot);
  if (database === 'system') return READABLE_SYSTEM_TABLES.has(name.slice(dot + 1));
  return READABLE_DATABASES.has(database);
}

function denied(user: string, grant: string): ClickHouseProtocolError {
  return ClickHouseProtocolError.of(
    'ACCESS_DENIED',
    `${user}: Not enough privileges. To execute this query, it's necessary to have the grant ${grant}`,
  );
}
