import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import { parse } from 'yaml';
import { configSchema } from '../packages/config/src/index.ts';

// No Docker here: these checks keep the ClickHouse server's `bi` user, the compose file, the
// migrations and the embedded endpoint's defaults consistent with each other.
const root = path.resolve(import.meta.dirname, '..');
const read = (p: string) => readFileSync(path.join(root, p), 'utf8');
const USERS_FILE = 'infra/clickhouse/users.d/bi.xml';
const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false }).parse(
  read(USERS_FILE),
) as {
  clickhouse: {
    profiles: { bi: Record<string, string> };
    users: {
      bi: { password: { '@from_env'?: string }; profile: string; grants: { query: string | string[] } };
    };
  };
};
const compose = parse(read('docker-compose.yml')) as {
  services: Record<string, { volumes?: string[]; environment?: Record<string, string> }>;
};
const embeddedDefaults = configSchema.parse({});
const migrations = readdirSync(path.join(root, 'packages/clickhouse/migrations'))
  .map((f) => read(`packages/clickhouse/migrations/${f}`))
  .join('\n');

describe('the bi user of a ClickHouse server', () => {
  const { profiles, users } = xml.clickhouse;

  test("its profile is read-only and has the embedded endpoint's default bounds", () => {
    expect(profiles.bi).toEqual({
      readonly: '1',
      max_execution_time: String(embeddedDefaults.SHOPFLOOR_BI_MAX_EXECUTION_TIME_S),
      max_result_rows: String(embeddedDefaults.SHOPFLOOR_BI_MAX_RESULT_ROWS),
      result_overflow_mode: 'throw',
      max_memory_usage: String(embeddedDefaults.SHOPFLOOR_BI_MAX_MEMORY_BYTES),
    });
  });

  test('it may select from the bi database only, with the password from SHOPFLOOR_BI_PASSWORD', () => {
    expect(users.bi.profile).toBe('bi');
    expect([users.bi.grants.query].flat()).toEqual(['GRANT SELECT ON bi.*']);
    expect(users.bi.password['@from_env']).toBe('SHOPFLOOR_BI_PASSWORD');
    expect(embeddedDefaults.SHOPFLOOR_BI_USER).toBe('bi');
  });

  test('docker-compose.yml mounts the file into users.d and passes the password to the server', () => {
    const clickhouse = compose.services.clickhouse;
    expect(clickhouse?.volumes).toContain(`./${USERS_FILE}:/etc/clickhouse-server/users.d/bi.xml:ro`);
    expect(clickhouse?.environment?.SHOPFLOOR_BI_PASSWORD).toMatch(/^\$\{SHOPFLOOR_BI_PASSWORD/);
  });

  test('every bi view runs as its definer, so SELECT on bi is enough to read it', () => {
    const views = [...migrations.matchAll(/CREATE VIEW IF NOT EXISTS (bi\.\w+)([^\n]*)/g)];
    expect(views.map((v) => v[1])).toEqual([
      'bi.events',
      'bi.machine_minute',
      'bi.line_minute',
      'bi.factory_minute',
      'bi.machine_hour',
      'bi.line_hour',
      'bi.factory_hour',
      'bi.dead_letters',
      'bi.batch_outcomes',
    ]);
    for (const view of views) expect(view[2], view[1]).toContain('SQL SECURITY DEFINER');
  });

  test('the README documents every bi view', () => {
    const readme = read('README.md');
    for (const view of migrations.matchAll(/CREATE VIEW IF NOT EXISTS (bi\.\w+)/g)) {
      expect(readme, view[1]).toContain(`\`${view[1]}\``);
    }
  });
});
