import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { Session } from 'chdb';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildJdbcCheck, type JdbcCheckOutput, runJdbcCheck } from '../../../tools/jdbc-check/jdbc-check.ts';
import { BI_DAYS, BI_FACTORIES, BI_MACHINES, biWorkloadBatches } from './bi-workload.ts';
import { startTestSystem, type TestSystem } from './system-harness.ts';

// The BI schema and the embedded BI endpoint end to end: a workload with duplicates, corrections
// and rejections goes through the real pipeline; then the README's example queries run through the
// official JDBC driver (a Java program built with Maven) and @clickhouse/client against the
// endpoint, and every answer is compared with the HTTP API's for the same window.
const PASSWORD = 'bi-test-password';
const README = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');

/** The ```sql block of the README's "BI tools" section, split at its `-- name:` lines. */
function readmeQueries(): Record<string, string> {
  const section = README.slice(README.indexOf('## BI tools'));
  const block = /```sql\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  const queries: Record<string, string> = {};
  for (const part of block.split(/^-- name: /m).slice(1)) {
    const [name, ...sql] = part.split('\n');
    queries[name!.trim()] = sql.join('\n').trim();
  }
  return queries;
}

let sys: TestSystem;
let client: ClickHouseClient;
let jdbc: JdbcCheckOutput;
let owner: Session | undefined;
const batchIds: string[] = [];
const queries = readmeQueries();
type Row = Record<string, unknown>;
// Refusals are what these tests expect: the client need not log them.
const QUIET = { log: { level: ClickHouseLogLevel.OFF } };

const hourAfter = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString();
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString();
const stats = async (machineId: string, start: string, end: string) =>
  (await sys.get(`/stats?machineId=${machineId}&start=${start}&end=${end}`)).body;
const topLines = async (factoryId: string, from: string, to: string) =>
  (await sys.get(`/stats/top-defect-lines?factoryId=${factoryId}&from=${from}&to=${to}&limit=1000`)).body;
const utc = (chTime: string) => `${chTime.replace(' ', 'T')}Z`;

async function select(sql: string, params: Record<string, unknown> = {}): Promise<Row[]> {
  const rs = await client.query({ query: sql, format: 'JSONEachRow', query_params: params });
  return rs.json<Row>();
}

/** JDBC rows of a README query as objects keyed by column label. */
function jdbcRows(name: string): Row[] {
  const result = jdbc.results?.[name];
  expect(result?.error, `${name}: ${result?.error?.message}`).toBeUndefined();
  return (result?.rows ?? []).map((r) => Object.fromEntries(result!.columns!.map((c, i) => [c, r[i]])));
}

beforeAll(async () => {
  const jar = buildJdbcCheck();
  sys = await startTestSystem({ SHOPFLOOR_BI_PORT: '0', SHOPFLOOR_BI_PASSWORD: PASSWORD });
  // Merges stopped: every superseded version and every signed rollup row stays in its own part, as
  // in production at any instant, so a view that forgot FINAL or sum() shows it here.
  owner = new Session(path.join(sys.dataDir, 'clickhouse'));
  await owner.queryAsync('SYSTEM STOP MERGES');
  for (const batch of biWorkloadBatches()) {
    const r = await sys.post(batch);
    expect(r.status).toBe(200);
    batchIds.push(r.body.batchId);
  }
  client = createClient({ ...QUIET, url: sys.bi!.url, username: 'bi', password: PASSWORD, database: 'bi' });
  await jar;
  jdbc = await runJdbcCheck({
    url: `jdbc:clickhouse://127.0.0.1:${sys.bi!.port}/bi`,
    user: 'bi',
    password: PASSWORD,
    queries: {
      ...queries,
      'outside:raw-table': 'SELECT count() FROM default.events',
      'write:insert': "INSERT INTO bi.events (event_id) VALUES ('x')",
      'write:ddl': 'CREATE TABLE bi.evil (a UInt8) ENGINE = Memory',
      'write:drop': 'DROP VIEW bi.events',
    },
  });
}, 900_000);

afterAll(async () => {
  owner?.close();
  await client?.close();
  await sys?.close();
});

describe('the README example queries through the JDBC driver match the API', () => {
  test('the driver connects and lists every bi view', () => {
    expect(jdbc.error).toBeUndefined();
    expect(jdbc.driver).toMatch(/0\.10\.0/);
    expect(jdbc.tables).toEqual(
      expect.arrayContaining(['events', 'machine_minute', 'machine_hour', 'line_minute', 'line_hour']),
    );
    expect(jdbc.tables).toEqual(
      expect.arrayContaining(['factory_minute', 'factory_hour', 'dead_letters', 'batch_outcomes']),
    );
    expect(jdbc.eventsColumns).toEqual([
      'event_id String',
      "event_time DateTime64(3, 'UTC')",
      'machine_id LowCardinality(String)',
      'line_id LowCardinality(String)',
      'factory_id LowCardinality(String)',
      'duration_ms UInt32',
      'defect_count Int32',
      'defects Int64',
      "received_at DateTime64(3, 'UTC')",
    ]);
    expect(Object.keys(queries)).toEqual([
      'machine-hours',
      'top-lines-per-day',
      'events-per-machine',
      'dead-letters',
      'batch-outcomes',
    ]);
  });

  test('machine-hours: every row is GET /stats for that hour, and the hours add up to the total', async () => {
    const rows = jdbcRows('machine-hours');
    expect(rows.length).toBeGreaterThan(10);
    for (const row of rows) {
      const start = utc(String(row.hour));
      const api = await stats(String(row.machine_id), start, hourAfter(start));
      expect(
        {
          events: Number(row.events_count),
          defects: Number(row.defects_count),
          rate: Number(row.avg_defect_rate),
          status: row.status,
        },
        `${row.machine_id} ${start}`,
      ).toEqual({
        events: api.eventsCount,
        defects: api.defectsCount,
        rate: api.avgDefectRate,
        status: api.status,
      });
    }
    for (const machine of BI_MACHINES) {
      const total = await stats(machine, '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
      const mine = rows.filter((r) => r.machine_id === machine);
      expect(mine.reduce((s, r) => s + Number(r.events_count), 0)).toBe(total.eventsCount);
      expect(mine.reduce((s, r) => s + Number(r.defects_count), 0)).toBe(total.defectsCount);
    }
  });

  test('top-lines-per-day: each factory and day is GET /stats/top-defect-lines, in its order', async () => {
    const rows = jdbcRows('top-lines-per-day');
    for (const factory of BI_FACTORIES) {
      for (const day of BI_DAYS) {
        const api = await topLines(factory, `${day}T00:00:00Z`, dayAfter(day));
        const mine = rows
          .filter((r) => r.factory_id === factory && r.day === day)
          .map((r) => ({
            lineId: r.line_id,
            totalDefects: Number(r.total_defects),
            eventCount: Number(r.event_count),
            defectsPercent: Number(r.defects_percent),
          }));
        expect(mine, `${factory} ${day}`).toEqual(api);
      }
    }
    expect(rows.length).toBeGreaterThan(3);
  });

  test('events-per-machine: the current events are GET /stats over all time', async () => {
    const rows = jdbcRows('events-per-machine');
    expect(rows.map((r) => r.machine_id)).toEqual(BI_MACHINES);
    for (const row of rows) {
      const api = await stats(String(row.machine_id), '2026-01-01T00:00:00Z', '2027-01-01T00:00:00Z');
      expect([Number(row.events_count), Number(row.defects_count)]).toEqual([
        api.eventsCount,
        api.defectsCount,
      ]);
    }
  });

  test('dead-letters: the rejected events are GET /dead-letters, newest first', async () => {
    const api = (await sys.get('/dead-letters?limit=100')).body as Row[];
    const mine = jdbcRows('dead-letters');
    expect(mine).toHaveLength(4);
    expect(mine).toEqual(
      api.map((d) => ({
        batch_id: d.batchId,
        seq: d.seq,
        event_id: d.eventId,
        reason: d.reason,
        payload: d.payload,
      })),
    );
  });

  test('batch-outcomes: every batch is GET /events/batch/:id', async () => {
    const rows = jdbcRows('batch-outcomes');
    expect(rows.map((r) => r.batch_id)).toEqual([...batchIds].sort());
    for (const row of rows) {
      const api = (await sys.get(`/events/batch/${row.batch_id}`)).body;
      expect({
        ...row,
        events: Number(row.events),
        accepted: Number(row.accepted),
        deduped: Number(row.deduped),
        updated: Number(row.updated),
        rejected: Number(row.rejected),
      }).toEqual({
        batch_id: api.batchId,
        status: api.status,
        events: api.events,
        accepted: api.accepted,
        deduped: api.deduped,
        updated: api.updated,
        rejected: api.rejected,
      });
    }
  });

  test('writes and DDL are refused with the readonly error; tables outside bi with ACCESS_DENIED', () => {
    for (const name of ['write:insert', 'write:ddl', 'write:drop']) {
      expect(jdbc.results?.[name]?.error?.code, name).toBe(164);
      expect(jdbc.results?.[name]?.error?.message).toMatch(
        /Code: 164\. DB::Exception: .*readonly mode.*\(READONLY\)/,
      );
    }
    expect(jdbc.results?.['outside:raw-table']?.error?.code).toBe(497);
  });

  test('a wrong password is refused', async () => {
    const wrong = await runJdbcCheck({
      url: `jdbc:clickhouse://127.0.0.1:${sys.bi!.port}/bi`,
      user: 'bi',
      password: 'not-the-password',
      queries: { one: 'SELECT 1' },
    });
    expect(wrong.error?.message).toMatch(/Code: 516\. .*\(AUTHENTICATION_FAILED\)/);
    expect(wrong.results).toBeUndefined();
  });
});

describe('every bi view through @clickhouse/client matches the API', () => {
  test("the README queries give the JDBC driver's answers", async () => {
    for (const [name, sql] of Object.entries(queries)) {
      const rows = (await select(sql)).map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
          ]),
        ),
      );
      const viaJdbc = jdbcRows(name).map((r) =>
        Object.fromEntries(
          Object.entries(r).map(([k, v]) => [
            k,
            typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v,
          ]),
        ),
      );
      expect(rows, name).toEqual(viaJdbc);
    }
  });

  test('machine_minute: every minute is GET /stats for that minute', async () => {
    const rows = await select(
      'SELECT machine_id, toString(minute) AS minute, events_count, defects_count FROM bi.machine_minute',
    );
    expect(rows.length).toBeGreaterThan(50);
    for (const row of rows) {
      const start = utc(String(row.minute));
      const api = await stats(
        String(row.machine_id),
        start,
        new Date(Date.parse(start) + 60_000).toISOString(),
      );
      expect([Number(row.events_count), Number(row.defects_count)]).toEqual([
        api.eventsCount,
        api.defectsCount,
      ]);
    }
  });

  test('line and factory minutes and hours are GET /stats/top-defect-lines for that minute or hour', async () => {
    for (const unit of ['minute', 'hour'] as const) {
      const lines = await select(
        `SELECT factory_id, line_id, toString(${unit}) AS t, events_count, defects_count FROM bi.line_${unit}`,
      );
      const factories = await select(
        `SELECT factory_id, toString(${unit}) AS t, events_count, defects_count FROM bi.factory_${unit}`,
      );
      expect(factories.length).toBeGreaterThan(unit === 'minute' ? 50 : 5);
      for (const f of factories) {
        const from = utc(String(f.t));
        const to = new Date(Date.parse(from) + (unit === 'minute' ? 60_000 : 3_600_000)).toISOString();
        const api = (await topLines(String(f.factory_id), from, to)) as Row[];
        const mine = lines.filter((l) => l.factory_id === f.factory_id && l.t === f.t);
        expect(
          Object.fromEntries(mine.map((l) => [l.line_id, [Number(l.events_count), Number(l.defects_count)]])),
        ).toEqual(Object.fromEntries(api.map((l) => [l.lineId, [l.eventCount, l.totalDefects]])));
        expect([Number(f.events_count), Number(f.defects_count)]).toEqual([
          api.reduce((s, l) => s + Number(l.eventCount), 0),
          api.reduce((s, l) => s + Number(l.totalDefects), 0),
        ]);
      }
    }
    const hourPercents = await select(
      'SELECT factory_id, line_id, toString(hour) AS t, defects_percent FROM bi.line_hour',
    );
    for (const l of hourPercents) {
      const from = utc(String(l.t));
      const api = (await topLines(String(l.factory_id), from, hourAfter(from))) as Row[];
      expect(Number(l.defects_percent)).toBe(api.find((a) => a.lineId === l.line_id)?.defectsPercent);
    }
  });

  test('bi.events answers windows cut to the millisecond like GET /stats', async () => {
    const windows = [
      ['2026-03-01T08:10:00.500Z', '2026-03-01T09:47:13.250Z'],
      ['2026-03-01T09:00:00.001Z', '2026-03-02T10:30:00.999Z'],
      ['2026-03-02T08:00:00.000Z', '2026-03-02T08:00:30.000Z'],
    ];
    for (const machine of BI_MACHINES) {
      for (const [start, end] of windows) {
        const [row] = await select(
          `SELECT count() AS events, sum(defects) AS defects FROM bi.events
           WHERE machine_id = {m:String} AND event_time >= {s:DateTime64(3)} AND event_time < {e:DateTime64(3)}`,
          {
            m: machine,
            s: start!.replace('T', ' ').replace('Z', ''),
            e: end!.replace('T', ' ').replace('Z', ''),
          },
        );
        const api = await stats(machine, start!, end!);
        expect([Number(row?.events), Number(row?.defects)], `${machine} ${start}`).toEqual([
          api.eventsCount,
          api.defectsCount,
        ]);
      }
    }
  });

  test("writes are refused with ClickHouse's readonly error, a wrong password with 516", async () => {
    await expect(client.command({ query: 'TRUNCATE TABLE bi.events' })).rejects.toMatchObject({
      code: '164',
      type: 'READONLY',
    });
    await expect(
      client.insert({ table: 'bi.events', values: [{ event_id: 'x' }], format: 'JSONEachRow' }),
    ).rejects.toMatchObject({ code: '164' });
    const wrong = createClient({ ...QUIET, url: sys.bi!.url, username: 'bi', password: 'nope-nope' });
    try {
      await expect(wrong.query({ query: 'SELECT 1' })).rejects.toMatchObject({
        code: '516',
        type: 'AUTHENTICATION_FAILED',
      });
    } finally {
      await wrong.close();
    }
  });
});
