import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { ClickHouseWriter } from './client.ts';
import { ClickHouseAdapterError } from './errors.ts';
import { toDateTime64 } from './time.ts';

/** The migrations shipped with this package (packages/clickhouse/migrations). */
export const defaultMigrationsDir = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  version: number;
  name: string;
  checksum: string;
  statements: string[];
}

export interface MigrateResult {
  /** File names applied by this run, in order; empty when the schema was already current. */
  applied: string[];
}

const FILE_NAME = /^(\d{4})_([a-z0-9_]+)\.sql$/;
const SEPARATOR_LINE = /^\s*;\s*$/m;

const CREATE_SCHEMA_MIGRATIONS = `CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime64(3, 'UTC')
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version`;

const appliedRowSchema = z.object({ version: z.coerce.number(), name: z.string(), checksum: z.string() });

/** Splits a migration file into statements: statements are separated by lines holding only `;`. */
export function splitStatements(sql: string): string[] {
  return sql
    .split(SEPARATOR_LINE)
    .map((statement) => statement.trim())
    .filter((statement) => stripComments(statement).length > 0);
}

function stripComments(sql: string): string {
  return sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n')
    .trim();
}

/** Reads `NNNN_name.sql` files in version order. */
export async function loadMigrations(dir: string = defaultMigrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const file of files) {
    const match = FILE_NAME.exec(file);
    if (!match) {
      throw new ClickHouseAdapterError('CLICKHOUSE_MIGRATION_FAILED', `${file} is not named NNNN_name.sql`);
    }
    const sql = await readFile(`${dir.replace(/\/$/, '')}/${file}`, 'utf8');
    const version = Number(match[1]);
    if (migrations.some((m) => m.version === version)) {
      throw new ClickHouseAdapterError(
        'CLICKHOUSE_MIGRATION_FAILED',
        `two migrations have version ${version}`,
      );
    }
    migrations.push({
      version,
      name: file,
      checksum: createHash('sha256').update(sql).digest('hex'),
      statements: splitStatements(sql),
    });
  }
  return migrations;
}

/**
 * Applies every migration not yet recorded in `schema_migrations`, in version order, and records
 * it. Statements are idempotent (`IF NOT EXISTS`), so a run interrupted half-way is simply re-run.
 * A recorded migration whose file changed afterwards is an error: write a new migration instead.
 */
export async function migrate(
  writer: ClickHouseWriter,
  options: { dir?: string; now?: () => number } = {},
): Promise<MigrateResult> {
  const migrations = await loadMigrations(options.dir);
  const now = options.now ?? Date.now;
  await writer.command(CREATE_SCHEMA_MIGRATIONS);
  const rows = await writer.query('SELECT version, name, checksum FROM schema_migrations FINAL');
  const recorded = new Map(rows.map((row) => appliedRowSchema.parse(row)).map((row) => [row.version, row]));
  const applied: string[] = [];
  for (const migration of migrations) {
    const previous = recorded.get(migration.version);
    if (previous) {
      if (previous.checksum !== migration.checksum) {
        throw new ClickHouseAdapterError(
          'CLICKHOUSE_MIGRATION_FAILED',
          `${migration.name} changed after it was applied (recorded as ${previous.name}); add a new migration instead`,
        );
      }
      continue;
    }
    for (const [index, statement] of migration.statements.entries()) {
      try {
        await writer.command(statement);
      } catch (cause) {
        throw new ClickHouseAdapterError(
          'CLICKHOUSE_MIGRATION_FAILED',
          `${migration.name} statement ${index + 1}: ${cause instanceof Error ? cause.message : String(cause)}`,
          { cause },
        );
      }
    }
    await writer.insert({
      table: 'schema_migrations',
      columns: ['version', 'name', 'checksum', 'applied_at'],
      format: 'JSONEachRow',
      values: [
        {
          version: migration.version,
          name: migration.name,
          checksum: migration.checksum,
          applied_at: toDateTime64(now()),
        },
      ],
    });
    applied.push(migration.name);
  }
  return { applied };
}
