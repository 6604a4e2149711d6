import { type EmbeddedClickHouse, startEmbeddedClickHouse } from '@shopfloor/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type BiEndpoint, startBiEndpoint } from '../src/index.ts';

// The ClickHouse HTTP interface of the embedded engine, over real HTTP against a real engine that
// this process also writes to (as the projector does), with small bounds to see them bite.
const PASSWORD = 'bi-password-1';
let ch: EmbeddedClickHouse;
let bi: BiEndpoint;

beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
  await insertEvent('e1', 'M1', 2);
  await insertEvent('e2', 'M2', -1);
  bi = await startBiEndpoint({
    host: '127.0.0.1',
    port: 0,
    user: 'bi',
    password: PASSWORD,
    dataDir: ch.dataDir,
    limits: { maxExecutionTimeS: 5, maxResultRows: 1000, maxMemoryBytes: 512 * 1024 * 1024 },
    displayName: 'bi-test',
  });
});

afterAll(async () => {
  await bi?.stop();
  await ch?.stop();
});

async function insertEvent(id: string, machine: string, defects: number) {
  await ch.writer.command(
    `INSERT INTO event_changes VALUES ('${id}', '2026-03-01 10:00:00.250', '${machine}', 'L1', 'F1', 100, ${defects}, '2026-03-01 10:00:01', 1, 1)`,
  );
}

const AUTH = { authorization: `Basic ${Buffer.from(`bi:${PASSWORD}`).toString('base64')}` };

async function call(query: string, init: { body?: string; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${bi.url}/${query}`, {
    method: init.body === undefined ? 'GET' : 'POST',
    headers: { ...AUTH, ...init.headers },
    ...(init.body === undefined ? {} : { body: init.body }),
  });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}
const text = async (query: string, init?: Parameters<typeof call>[1]) =>
  (await call(query, init)).body.toString();

describe('protocol', () => {
  test('/ping and / answer Ok.', async () => {
    for (const path of ['ping', '']) {
      const res = await fetch(`${bi.url}/${path}`);
      expect([res.status, await res.text()]).toEqual([200, 'Ok.\n']);
    }
  });

  test('the query comes from the query string, the body, or both joined', async () => {
    expect(await text('?query=SELECT%20machine_id%20FROM%20bi.events%20ORDER%20BY%201')).toBe('M1\nM2\n');
    expect(await text('', { body: 'SELECT count() FROM events' })).toBe('2\n');
    expect(await text('?query=SELECT%20machine_id%20FROM%20events', { body: "WHERE event_id = 'e2'" })).toBe(
      'M2\n',
    );
  });

  test('credentials as X-ClickHouse headers, basic auth or user/password parameters; wrong ones get 516', async () => {
    const q = 'SELECT 1';
    const plain = (url: string, headers: Record<string, string> = {}) =>
      fetch(`${bi.url}/${url}`, { method: 'POST', headers, body: q });
    expect((await plain('', { 'X-ClickHouse-User': 'bi', 'X-ClickHouse-Key': PASSWORD })).status).toBe(200);
    expect((await plain(`?user=bi&password=${PASSWORD}`)).status).toBe(200);
    expect((await plain('', AUTH)).status).toBe(200);
    for (const res of [
      await plain('?user=bi&password=wrong'),
      await plain(''),
      await plain('?user=default'),
    ]) {
      expect(res.status).toBe(403);
      expect(res.headers.get('x-clickhouse-exception-code')).toBe('516');
      expect(await res.text()).toMatch(
        /^Code: 516\. DB::Exception: .*Authentication failed.*\(AUTHENTICATION_FAILED\)/,
      );
    }
  });

  test('database: bi by default, system readable, others refused', async () => {
    expect(
      await text('?database=system', { body: "SELECT count() > 5 FROM tables WHERE database = 'bi'" }),
    ).toBe('1\n');
    expect(await text('', { body: 'SELECT 1', headers: { 'X-ClickHouse-Database': 'system' } })).toBe('1\n');
    const refused = await call('?database=default', { body: 'SELECT 1' });
    expect(refused.headers.get('x-clickhouse-exception-code')).toBe('497');
  });

  test('formats: default_format, X-ClickHouse-Format, a FORMAT clause winning over both', async () => {
    const q = 'SELECT event_id, defects FROM events ORDER BY event_id';
    const json = await call('?default_format=JSONEachRow', { body: q });
    expect(json.headers.get('x-clickhouse-format')).toBe('JSONEachRow');
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.body.toString()).toBe('{"event_id":"e1","defects":2}\n{"event_id":"e2","defects":0}\n');
    const full = JSON.parse(await text('', { body: q, headers: { 'X-ClickHouse-Format': 'JSON' } }));
    expect(full.meta).toEqual([
      { name: 'event_id', type: 'String' },
      { name: 'defects', type: 'Int64' },
    ]);
    expect(full.rows).toBe(2);
    const csv = await call('?default_format=JSON', { body: `${q} FORMAT CSVWithNames` });
    expect([csv.headers.get('x-clickhouse-format'), csv.body.toString()]).toEqual([
      'CSVWithNames',
      '"event_id","defects"\n"e1",2\n"e2",0\n',
    ]);
    const tsv = await call('', { body: q });
    expect([tsv.headers.get('x-clickhouse-format'), tsv.body.toString()]).toEqual([
      'TabSeparated',
      'e1\t2\ne2\t0\n',
    ]);
  });

  test('RowBinaryWithNamesAndTypes: column count, names, types, then the rows', async () => {
    const { body, headers } = await call('?default_format=RowBinaryWithNamesAndTypes', {
      body: "SELECT event_id, toUInt8(defects) AS d FROM events WHERE event_id = 'e1'",
    });
    expect(headers.get('content-type')).toBe('application/octet-stream');
    const expected = Buffer.concat([
      Buffer.from([2, 8]),
      Buffer.from('event_id'),
      Buffer.from([1]),
      Buffer.from('d'),
      Buffer.from([6]),
      Buffer.from('String'),
      Buffer.from([5]),
      Buffer.from('UInt8'),
      Buffer.from([2]),
      Buffer.from('e1'),
      Buffer.from([2]),
    ]);
    expect(body).toEqual(expected);
  });

  test('headers: query id echoed or made, summary, display name', async () => {
    const res = await call('?query_id=my-query-1', { body: 'SELECT count() FROM events' });
    expect(res.headers.get('x-clickhouse-query-id')).toBe('my-query-1');
    expect(res.headers.get('x-clickhouse-server-display-name')).toBe('bi-test');
    expect(JSON.parse(res.headers.get('x-clickhouse-summary') ?? '{}')).toMatchObject({
      written_rows: '0',
      result_bytes: '2',
    });
    expect((await call('', { body: 'SELECT 1' })).headers.get('x-clickhouse-query-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );
  });

  test('server-side parameters: param_<name> binds {name:Type}', async () => {
    expect(
      await text('?param_m=M2&param_n=41', {
        body: 'SELECT count(), {n:UInt8} + 1 FROM events WHERE machine_id = {m:String}',
      }),
    ).toBe('1\t42\n');
  });

  test("compress=1 answers ClickHouse's checksummed block framing; enable_http_compression gzip", async () => {
    const plain = (
      await call('?default_format=JSONEachRow', { body: 'SELECT * FROM events ORDER BY event_id' })
    ).body;
    const framed = (
      await call('?default_format=JSONEachRow&compress=1', { body: 'SELECT * FROM events ORDER BY event_id' })
    ).body;
    expect(framed[16]).toBe(0x82);
    expect(framed.readUInt32LE(21)).toBe(plain.length);
    expect(framed.subarray(-plain.length)).toEqual(plain);
    const res = await fetch(`${bi.url}/?enable_http_compression=1`, {
      method: 'POST',
      headers: { ...AUTH, 'accept-encoding': 'gzip' },
      body: 'SELECT * FROM events ORDER BY event_id FORMAT JSONEachRow',
    });
    expect(res.headers.get('content-encoding')).toBe('gzip');
    expect(await res.text()).toBe(plain.toString()); // fetch inflates it
  });
});

describe("read-only and bounded, in ClickHouse's words", () => {
  const refusal = async (sql: string, query = '') => {
    const res = await call(query, { body: sql });
    return {
      status: res.status,
      code: res.headers.get('x-clickhouse-exception-code'),
      body: res.body.toString(),
    };
  };

  test.each([
    ["INSERT INTO bi.events (event_id) VALUES ('x')"],
    ['CREATE TABLE bi.t (a UInt8) ENGINE = Memory'],
    ['DROP VIEW bi.events'],
    ['ALTER TABLE default.events DELETE WHERE 1'],
    ['TRUNCATE TABLE default.events'],
    ['SYSTEM STOP MERGES'],
    ['SET readonly = 0'],
    ['USE default'],
    ["SELECT 1 INTO OUTFILE '/tmp/bi-out'"],
  ])('%s is refused as a write (READONLY)', async (sql) => {
    const r = await refusal(sql);
    expect([r.status, r.code]).toEqual([500, '164']);
    expect(r.body).toMatch(
      /^Code: 164\. DB::Exception: .*readonly mode\. \(READONLY\) \(version [\d.]+\)\n$/,
    );
  });

  test.each([
    ['SELECT count() FROM default.events'],
    ['SELECT count() FROM event_changes'],
    ['WITH x AS (SELECT * FROM default.sink_offsets) SELECT count() FROM x'],
    ['SELECT count() FROM bi.events WHERE event_id IN (SELECT event_id FROM default.event_changes)'],
    ["SELECT file('/etc/hostname')"],
    ["SELECT * FROM remote('127.0.0.1', default.events)"],
    ['SELECT query FROM system.query_log'],
    ['SELECT query FROM system.processes'],
  ])('%s reads outside bi and is refused', async (sql) => {
    const r = await refusal(sql);
    expect(['497', '164', '60']).toContain(r.code);
    expect(r.body).not.toMatch(/\be1\b/);
  });

  test('a setting cannot be changed: not by a URL parameter, not by a SETTINGS clause', async () => {
    for (const r of [
      await refusal('SELECT 1', '?max_result_rows=0'),
      await refusal('SELECT 1 SETTINGS max_execution_time = 0'),
    ]) {
      expect(r.code).toBe('164');
      expect(r.body).toMatch(/Cannot modify '\w+' setting in readonly mode/);
    }
  });

  test('max_result_rows bites; generating functions stay usable', async () => {
    const r = await refusal('SELECT number FROM numbers(5000)');
    expect(r.code).toBe('396');
    expect(r.body).toMatch(/\(TOO_MANY_ROWS_OR_BYTES\)/);
    expect(await text('', { body: 'SELECT count() FROM numbers(5000)' })).toBe('5000\n');
  });

  test("syntax errors, several statements and unknown tables get the server's codes and statuses", async () => {
    const syntax = await refusal('SELEC 1');
    expect([syntax.status, syntax.code]).toEqual([400, '62']);
    expect((await refusal('SELECT 1; SELECT 2')).code).toBe('62');
    expect((await refusal('')).code).toBe('62');
    const unknown = await refusal('SELECT * FROM bi.nope');
    expect([unknown.status, unknown.code]).toEqual([404, '60']);
  });

  test('the engine owner keeps writing while BI clients read: the BI connections are its own', async () => {
    await insertEvent('e3', 'M3', 4);
    expect(await text('', { body: "SELECT defects FROM events WHERE event_id = 'e3'" })).toBe('4\n');
    const [row] = await ch.reader.query("SELECT getSetting('readonly') AS ro, currentDatabase() AS db");
    expect(row).toEqual({ ro: 0, db: 'default' });
  });
});
