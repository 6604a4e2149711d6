import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClickHouseClient } from '@clickhouse/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedSessionPool } from '../src/embedded-pool.ts';
import { type ClickHouseHandle, openClickHouse } from '../src/index.ts';

// One engine for the file (libchdb binds one data directory per process); every handle and pool
// below opens its own sessions on it.
let dataDir: string;
let ch: ClickHouseHandle;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-sessions-'));
  ch = await openClickHouse({ dataDir, sessions: 3 });
  await ch.writer.command(
    'CREATE TABLE dedup (x UInt32) ENGINE = MergeTree ORDER BY x SETTINGS non_replicated_deduplication_window = 1000',
  );
  await ch.writer.command('CREATE TABLE plain (x UInt32) ENGINE = MergeTree ORDER BY x');
});

afterAll(async () => {
  await ch?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

const insertX = (handle: ClickHouseHandle, table: string, xs: number[], token?: string) =>
  handle.writer.insert({
    table,
    columns: ['x'],
    format: 'JSONCompactEachRow',
    values: xs.map((x) => [x]),
    settings: token === undefined ? undefined : { insert_deduplication_token: token },
  });

const xsOf = async (table: string) =>
  (await ch.reader.query(`SELECT x FROM ${table} ORDER BY x`)).map((r) => Number(r.x));

describe('a pool of embedded sessions', () => {
  it('never lets a statement’s settings reach a concurrent one: 60 inserts, tokens, repeats, none', async () => {
    const unique = Array.from({ length: 40 }, (_, i) => insertX(ch, 'dedup', [i], `tok-${i}`));
    // The same token again with other rows: a replay, dropped.
    const repeats = Array.from({ length: 10 }, (_, i) => insertX(ch, 'dedup', [1000 + i], `tok-${i}`));
    // No token: lands, even on a session whose previous statement set one.
    const untokened = Array.from({ length: 10 }, (_, i) => insertX(ch, 'dedup', [2000 + i]));
    await Promise.all([...unique, ...repeats, ...untokened]);
    const expected = [
      ...Array.from({ length: 40 }, (_, i) => i),
      ...Array.from({ length: 10 }, (_, i) => 2000 + i),
    ];
    expect(await xsOf('dedup')).toEqual(expected);
  });

  it('resets a setting a statement left set on its session before an insert that does not set it', async () => {
    const pool = await openEmbeddedSessionPool(dataDir, 'default', 1);
    try {
      const insertBytes = pool.insertBytes;
      if (insertBytes === undefined) throw new Error('the embedded pool inserts bytes');
      const insert = (x: number, token?: string) =>
        insertBytes({
          table: 'dedup',
          columns: ['x'],
          format: 'JSONCompactEachRow',
          body: Buffer.from(`[${x}]\n`),
          settings: token === undefined ? undefined : { insert_deduplication_token: token },
        });
      // chdb/connection applies a statement's settings as sticky SETs on the session.
      await pool.run({ insert_deduplication_token: 'left-set' }, (client, settings) =>
        client.command({ query: 'SELECT 1', ...(settings ? { clickhouse_settings: settings } : {}) }),
      );
      await insert(3001); // had the token stuck, this would be 'left-set' …
      await insert(3002); // … and this one dropped as its replay
      await insert(3003, 'own-token'); // a token in the insert's own SETTINGS clause …
      await insert(3004); // … ends with it
      const [setting] = await pool.run(undefined, async (client) =>
        (
          await client.query({
            query: "SELECT getSetting('insert_deduplication_token') AS t",
            format: 'JSONEachRow',
          })
        ).json<{ t: string }>(),
      );
      expect(setting?.t).toBe('');
    } finally {
      await pool.close();
    }
    expect((await xsOf('dedup')).filter((x) => x > 3000 && x < 4000)).toEqual([3001, 3002, 3003, 3004]);
  });

  it('inserts bodies in every format byte for byte: tabs, newlines, quotes and non-ASCII text', async () => {
    await ch.writer.command('CREATE TABLE texts (k UInt32, s String) ENGINE = MergeTree ORDER BY k');
    const text = 'tab\there, line\nbreak, "quoted", back\\slash, Grüße, 温度 ✓';
    await ch.writer.insert({
      table: 'texts',
      columns: ['k', 's'],
      format: 'JSONEachRow',
      values: [{ k: 1, s: text }],
    });
    await ch.writer.insert({
      table: 'texts',
      columns: ['k', 's'],
      format: 'JSONCompactEachRow',
      values: [[2, text]],
    });
    const tsv = text.replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
    await ch.writer.insert({
      table: 'texts',
      columns: ['k', 's'],
      format: 'TabSeparated',
      values: `3\t${tsv}\n`,
    });
    const rows = await ch.reader.query('SELECT k, s FROM texts ORDER BY k');
    expect(rows).toEqual([1, 2, 3].map((k) => ({ k, s: text })));
  });

  it('completes a short insert and query while a long statement runs', async () => {
    let longDone = false;
    const long = ch.reader.query('SELECT sleep(1.5) AS s').then(() => {
      longDone = true;
    });
    const startedAt = performance.now();
    await insertX(ch, 'plain', [7]);
    const rows = await ch.reader.query('SELECT count() AS n FROM plain');
    const shortMs = performance.now() - startedAt;
    expect(longDone).toBe(false);
    expect(shortMs).toBeLessThan(1000);
    expect(rows).toEqual([{ n: 1 }]);
    await long;
  });

  it('sends a statement to the least busy session (ties: the lowest index), and a row written on one is read on another', async () => {
    const pool = await openEmbeddedSessionPool(dataDir, 'default', 2);
    try {
      const used: ClickHouseClient[] = [];
      const on = (sql: string) =>
        pool.run(undefined, async (client) => {
          used.push(client);
          await client.command({ query: sql });
        });
      await pool.run(undefined, async (client) => {
        used.push(client);
      });
      const busy = on('SELECT sleep(0.5)'); // session 0
      await on('INSERT INTO plain VALUES (100)'); // session 1: session 0 is busy
      await busy;
      const read = await pool.run(undefined, async (client) => {
        used.push(client); // session 0 again: both idle
        const rs = await client.query({
          query: 'SELECT count() AS n FROM plain WHERE x = 100',
          format: 'JSONEachRow',
        });
        return rs.json<{ n: number }>();
      });
      expect(read).toEqual([{ n: 1 }]);
      const [first, sleeper, inserter, reader] = used;
      expect(sleeper).toBe(first);
      expect(inserter).not.toBe(sleeper);
      expect(reader).toBe(sleeper);
    } finally {
      await pool.close();
    }
  });

  it('keeps its read sessions for reads: writes queue on the write session, a read goes past them', async () => {
    const pool = await openEmbeddedSessionPool(dataDir, 'default', 1, 1);
    try {
      const used = new Map<string, ClickHouseClient>();
      const on = (name: string, sql: string, lane: 'read' | 'write') =>
        pool.run(
          undefined,
          async (client) => {
            used.set(name, client);
            await client.command({ query: sql });
          },
          lane,
        );
      // Two writes at once: the second waits for the first on the one write session, never on the read one.
      const writes = [
        on('sleeper', 'SELECT sleep(0.6)', 'write'),
        on('inserter', 'INSERT INTO plain VALUES (200)', 'write'),
      ];
      const startedAt = performance.now();
      await on('read', 'SELECT 1', 'read');
      const readMs = performance.now() - startedAt;
      await Promise.all(writes);
      expect(used.get('inserter')).toBe(used.get('sleeper'));
      expect(used.get('read')).not.toBe(used.get('sleeper'));
      expect(readMs).toBeLessThan(400);
      // With its read session busy, a read takes the idle write session rather than wait.
      const longRead = on('long read', 'SELECT sleep(0.6)', 'read');
      await on('second read', 'SELECT 2', 'read');
      await longRead;
      expect(used.get('long read')).toBe(used.get('read'));
      expect(used.get('second read')).toBe(used.get('sleeper'));
    } finally {
      await pool.close();
    }
  });

  it('sends the reader’s statements to the read lane of a handle with read sessions', async () => {
    const other = await openClickHouse({ dataDir, sessions: 1, readSessions: 1 });
    try {
      const slowWrite = other.writer.command('INSERT INTO plain SELECT 400 + sleep(0.6)');
      const startedAt = performance.now();
      expect(await other.reader.query('SELECT 7 AS n')).toEqual([{ n: 7 }]);
      expect(performance.now() - startedAt).toBeLessThan(400);
      await slowWrite;
    } finally {
      await other.close();
    }
    await expect(openClickHouse({ dataDir, readSessions: -1 })).rejects.toMatchObject({
      code: 'CLICKHOUSE_CONFIG_INVALID',
    });
  });

  it('reads every row written just before, whatever session each statement lands on', async () => {
    for (let i = 0; i < 20; i++) {
      // A concurrent statement keeps a session busy now and then, so writes and reads move around.
      const other = i % 3 === 0 ? ch.reader.query('SELECT sleep(0.05)') : Promise.resolve([]);
      await insertX(ch, 'dedup', [5000 + i], `rw-${i}`);
      expect(await ch.reader.query('SELECT count() AS n FROM dedup WHERE x >= 5000')).toEqual([{ n: i + 1 }]);
      await other;
    }
  });

  it('uses a non-default database on every session', async () => {
    const other = await openClickHouse({ dataDir, database: 'pooled', sessions: 3 });
    try {
      await other.writer.command('CREATE TABLE IF NOT EXISTS here (x UInt32) ENGINE = Memory');
      // Three at once: one per session.
      const dbs = await Promise.all(
        [1, 2, 3].map(() => other.reader.query('SELECT currentDatabase() AS db, sleep(0.2) AS s')),
      );
      expect(dbs.map((r) => r[0]?.db)).toEqual(['pooled', 'pooled', 'pooled']);
      await Promise.all([1, 2, 3].map((x) => insertX(other, 'here', [x])));
      expect(await other.reader.query('SELECT count() AS n FROM pooled.here')).toEqual([{ n: 3 }]);
    } finally {
      await other.close();
    }
  });

  it('closes after the statements in flight, and refuses later ones', async () => {
    const other = await openClickHouse({ dataDir, sessions: 2 });
    const inFlight = [
      other.reader.query('SELECT sleep(0.3) AS s'),
      insertX(other, 'plain', [300]),
      insertX(other, 'plain', [301], 'close-1'),
    ];
    await other.close();
    await expect(Promise.all(inFlight)).resolves.toHaveLength(3);
    await expect(other.reader.query('SELECT 1')).rejects.toThrow();
    await expect(insertX(other, 'plain', [302])).rejects.toThrow('closed');
    expect(await ch.reader.query('SELECT count() AS n FROM plain WHERE x IN (300, 301)')).toEqual([{ n: 2 }]);
  });

  it('rejects a session count that is not a positive integer', async () => {
    await expect(openClickHouse({ dataDir, sessions: 0 })).rejects.toMatchObject({
      code: 'CLICKHOUSE_CONFIG_INVALID',
    });
  });
});
