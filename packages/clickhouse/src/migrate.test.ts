import { describe, expect, it } from 'vitest';
import { loadMigrations, splitStatements } from './migrate.ts';

describe('splitStatements', () => {
  it('splits on lines holding only a semicolon and drops comment-only parts', () => {
    const sql =
      '-- header\nCREATE TABLE a (x UInt8) ENGINE = Memory\n;\n  ;  \n-- only a comment\n;\nSELECT 1\n';
    expect(splitStatements(sql)).toEqual(['-- header\nCREATE TABLE a (x UInt8) ENGINE = Memory', 'SELECT 1']);
  });

  it('keeps semicolons inside a line', () => {
    expect(splitStatements("SELECT ';' AS s\n;\n")).toEqual(["SELECT ';' AS s"]);
  });
});

describe('loadMigrations', () => {
  it('loads the repository migrations in version order, every statement idempotent', async () => {
    const migrations = await loadMigrations();
    expect(migrations.length).toBeGreaterThan(0);
    expect(migrations.map((m) => m.version)).toEqual(
      [...migrations.map((m) => m.version)].sort((a, b) => a - b),
    );
    for (const migration of migrations) {
      for (const statement of migration.statements) {
        expect(statement, migration.name).toMatch(
          // A setting set again to the same value is idempotent too (0050).
          /CREATE (TABLE|MATERIALIZED VIEW|VIEW|DATABASE) IF NOT EXISTS|ALTER TABLE \w+ (DROP COLUMN IF EXISTS|MODIFY SETTING)/,
        );
      }
    }
  });
});
