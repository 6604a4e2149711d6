import { describe, expect, test } from 'vitest';
import { outlineSql } from './sql-text.ts';

describe('outlineSql', () => {
  test('a trailing FORMAT clause is taken out and named, also before SETTINGS and a final ;', () => {
    expect(outlineSql('SELECT 1 FORMAT JSONEachRow')).toMatchObject({
      statement: 'SELECT 1',
      format: 'JSONEachRow',
    });
    expect(outlineSql('select 1 format `TSV`;\n')).toMatchObject({ statement: 'select 1', format: 'TSV' });
    expect(outlineSql('SELECT 1 FORMAT JSON SETTINGS max_threads = 1')).toMatchObject({
      statement: 'SELECT 1 SETTINGS max_threads = 1',
      format: 'JSON',
    });
  });

  test('FORMAT as a name, inside parentheses, strings or comments is left alone', () => {
    for (const sql of [
      'SELECT format FROM t',
      "SELECT 'x FORMAT JSON'",
      'SELECT * FROM (SELECT 1 FORMAT JSON)',
      'SELECT 1 -- FORMAT JSON',
      'SELECT 1 /* FORMAT JSON */',
      "SELECT format('{}', 1)",
    ]) {
      expect(outlineSql(sql).format, sql).toBeUndefined();
    }
  });

  test('a second statement is seen, wherever the ; hides', () => {
    expect(outlineSql('SELECT 1; SELECT 2').multiStatement).toBe(true);
    expect(outlineSql('SELECT 1; -- nothing\n;').multiStatement).toBe(false);
    expect(outlineSql("SELECT ';' AS s").multiStatement).toBe(false);
    expect(outlineSql('SELECT "a;b" FROM t').multiStatement).toBe(false);
    expect(outlineSql("SELECT 'it''s; fine', 'a\\'; b'").multiStatement).toBe(false);
    expect(outlineSql('SELECT $$;$$').multiStatement).toBe(false);
    expect(outlineSql('SELECT 1 /* ; /* nested ; */ ; */').multiStatement).toBe(false);
    expect(outlineSql('SELECT 1 /* x */; INSERT INTO t VALUES (1)').multiStatement).toBe(true);
  });

  test('INTO OUTFILE is found', () => {
    expect(outlineSql("SELECT 1 INTO OUTFILE '/tmp/x'").intoOutfile).toBe(true);
    expect(outlineSql("SELECT 'INTO OUTFILE'").intoOutfile).toBe(false);
  });

  test('an empty query outlines to an empty statement', () => {
    expect(outlineSql('  -- only a comment\n').statement).toBe('-- only a comment');
    expect(outlineSql('').statement).toBe('');
  });
});
