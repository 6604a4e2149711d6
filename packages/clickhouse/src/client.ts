import path from 'node:path';
import { Readable } from 'node:stream';
import { createClient } from '@clickhouse/client';
import type {
  ClickHouseConfig,
  ClickHouseHandle,
  ClickHouseMode,
  ClickHouseReader,
  ClickHouseWriter,
  InsertRequest,
  PingResult,
  Row,
  StatementOptions,
} from './client-types.ts';
import { type DedupLogRepair, repairDedupLogs } from './dedup-log-repair.ts';
import { definedFields } from './defined-fields.ts';
import { type EmbeddedEngineLimits, startEmbeddedEngine } from './embedded-engine.ts';
import { openEmbeddedSessionPool, type StatementLane, type StatementRunner } from './embedded-pool.ts';
import { ClickHouseAdapterError } from './errors.ts';
import { adoptParamLock, withParamLock } from './param-lock.ts';

export type {
  ClickHouseConfig,
  ClickHouseHandle,
  ClickHouseMode,
  ClickHouseReader,
  ClickHouseWriter,
  InsertFormat,
  InsertRequest,
  PingResult,
  Row,
  StatementOptions,
} from './client-types.ts';

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The database a handle uses (the server's `default` if none), refused unless a plain identifier. */
function databaseOf(cfg: { database?: string | undefined }): string {
  const database = cfg.database ?? 'default';
  if (!DATABASE_NAME.test(database)) {
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_CONFIG_INVALID',
      `invalid database name ${JSON.stringify(database)}`,
    );
  }
  return database;
}

/** Opens the embedded engine (no url) or a ClickHouse server over HTTP; the same SQL runs on both. */
export async function openClickHouse(cfg: ClickHouseConfig): Promise<ClickHouseHandle> {
  const database = databaseOf(cfg);
  const sessions = cfg.sessions ?? 1;
  if (!Number.isInteger(sessions) || sessions < 1) {
    throw new ClickHouseAdapterError('CLICKHOUSE_CONFIG_INVALID', `invalid session count ${sessions}`);
  }
  const readSessions = cfg.readSessions ?? 0;
  if (!Number.isInteger(readSessions) || readSessions < 0) {
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_CONFIG_INVALID',
      `invalid read session count ${readSessions}`,
    );
  }
  return cfg.url === undefined
    ? openEmbedded(cfg.dataDir, database, cfg.engine, sessions, readSessions)
    : openHttp(cfg, database);
}

/** Data directories whose engine this process started: the engine keeps them open until it exits. */
const enginesStarted = new Set<string>();

async function openEmbedded(
  dataDir: string,
  database: string,
  limits: EmbeddedEngineLimits | undefined,
  sessions: number,
  readSessions: number,
): Promise<ClickHouseHandle> {
  let engine: ReturnType<typeof startEmbeddedEngine>;
  let dedupRepairs: DedupLogRepair[] = [];
  try {
    // Only before this process's engine first reads the directory: the engine reads its
    // deduplication logs once, at start-up, and a second open shares the running engine.
    const dir = path.resolve(dataDir);
    if (!enginesStarted.has(dir)) dedupRepairs = repairDedupLogs(dir);
    enginesStarted.add(dir);
    engine = startEmbeddedEngine(dataDir, limits);
  } catch (cause) {
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_UNAVAILABLE',
      `cannot open embedded ClickHouse in ${dataDir}`,
      {
        cause,
      },
    );
  }
  let runner: StatementRunner;
  try {
    runner = await openEmbeddedSessionPool(dataDir, database, sessions, readSessions);
  } catch (cause) {
    engine?.close();
    throw cause;
  }
  return buildHandle('embedded', runner, dedupRepairs, () => engine?.close());
}

/**
 * A reader on the embedded engine that this process already runs, for another thread of it (a
 * worker thread: chdb binds one engine per process, and a worker's sessions share it). Only the
 * thread that opened the engine with `openClickHouse` repairs its logs, starts it and runs the
 * migrations; this one opens `sessions` sessions of its own and reads.
 *
 * A worker thread that loaded chdb must live as long as the process: when one exits, even with
 * its sessions closed, chdb shuts the process's engine down and the other threads' statements hang
 * (chdb 3.4, found by hand). `close` closes the sessions only.
 */
export async function openEmbeddedReader(cfg: {
  dataDir: string;
  database?: string | undefined;
  sessions?: number | undefined;
  /** The opening thread's `paramLockBuffer()`: statements with parameters run one at a time process-wide. */
  paramLock?: SharedArrayBuffer | undefined;
}): Promise<{ reader: ClickHouseReader; close(): Promise<void> }> {
  const database = databaseOf(cfg);
  if (cfg.paramLock) adoptParamLock(cfg.paramLock);
  const runner = await openEmbeddedSessionPool(cfg.dataDir, database, cfg.sessions ?? 1);
  const handle = buildHandle('embedded', runner, []);
  return { reader: handle.reader, close: () => handle.close() };
}

async function openHttp(cfg: ClickHouseConfig, database: string): Promise<ClickHouseHandle> {
  const auth = definedFields({ username: cfg.username, password: cfg.password });
  if (database !== 'default') {
    const bootstrap = createClient({ ...definedFields({ url: cfg.url }), ...auth });
    try {
      await bootstrap.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
    } finally {
      await bootstrap.close();
    }
  }
  const client = createClient({ ...definedFields({ url: cfg.url }), database, ...auth });
  // Every HTTP request carries its own settings: no guard, no pool (the server has its own).
  return buildHandle(
    'http',
    {
      run: (settings, fn) => fn(client, settings),
      close: () => client.close(),
    },
    [],
  );
}

function buildHandle(
  mode: ClickHouseMode,
  runner: StatementRunner,
  dedupRepairs: readonly DedupLogRepair[],
  afterClose: () => void = () => {},
): ClickHouseHandle {
  const { run } = runner;
  let closed = false;
  // Embedded statements with parameters take the process-wide parameter lock (param-lock.ts); the
  // abort signal is then honoured here, not by chdb, so the lock is held to the native completion.
  const locked = <T>(
    options: StatementOptions,
    statement: (signal: AbortSignal | undefined) => Promise<T>,
  ): Promise<T> => {
    if (mode !== 'embedded' || options.params === undefined || Object.keys(options.params).length === 0)
      return statement(options.signal);
    const done = withParamLock(() => statement(undefined));
    const signal = options.signal;
    if (!signal) return done;
    let abort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      abort = () => reject(signal.reason ?? new Error('aborted'));
      if (signal.aborted) abort();
      else signal.addEventListener('abort', abort, { once: true });
    });
    // A long-lived signal keeps no listener per statement once the statement settled.
    return Promise.race([done, aborted]).finally(() => signal.removeEventListener('abort', abort));
  };
  const query = (
    sql: string,
    options: StatementOptions = {},
    lane: StatementLane = 'write',
  ): Promise<Row[]> =>
    run(
      options.settings,
      (client, settings) =>
        locked(options, async (signal) => {
          const rs = await client.query({
            query: sql,
            format: 'JSONEachRow',
            ...definedFields({
              query_params: options.params,
              clickhouse_settings: settings,
              abort_signal: signal,
            }),
          });
          return rs.json<Row>();
        }),
      lane,
    );
  const command = (sql: string, options: StatementOptions = {}): Promise<void> =>
    run(options.settings, (client, settings) =>
      locked(options, async (signal) => {
        await client.command({
          query: sql,
          ...definedFields({
            query_params: options.params,
            clickhouse_settings: settings,
            abort_signal: signal,
          }),
        });
      }),
    );
  const insertBytes = runner.insertBytes;
  const insert = (request: InsertRequest): Promise<void> => {
    if (request.values.length === 0) return Promise.resolve();
    if (insertBytes === undefined) return insertThroughClient(request);
    return insertBytes({
      table: request.table,
      columns: request.columns,
      format: request.format,
      body: encodeInsertBody(request),
      settings: request.settings,
    });
  };
  const insertThroughClient = (request: InsertRequest): Promise<void> =>
    run(request.settings, async (client, settings) => {
      const values =
        typeof request.values === 'string'
          ? Readable.from([Buffer.from(request.values)], { objectMode: false })
          : (request.values as unknown[]);
      await client.insert({
        table: request.table,
        columns: request.columns as [string, ...string[]],
        format: request.format,
        values,
        ...definedFields({ clickhouse_settings: settings }),
      });
    });
  // The reader's statements (the query API's) take the read lane; the writer's reads stay with its writes.
  const reader: ClickHouseReader = Object.freeze({
    mode,
    query: (sql: string, options?: StatementOptions) => query(sql, options, 'read'),
  });
  const writer: ClickHouseWriter = Object.freeze({ mode, query, insert, command });
  return Object.freeze({
    mode,
    reader,
    writer,
    dedupRepairs,
    async ping(): Promise<PingResult> {
      if (closed) return { ok: false, error: new Error('ClickHouse handle is closed') };
      const result = await run(undefined, (client) => client.ping());
      return result.success ? { ok: true } : { ok: false, error: result.error };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await runner.close();
      afterClose();
    },
  });
}

/**
 * An insert's body as the bytes of its format: a TabSeparated body as it is, rows one JSON text per
 * line (what @clickhouse/client sends for the JSON formats).
 */
function encodeInsertBody(request: InsertRequest): Buffer {
  if (typeof request.values === 'string') return Buffer.from(request.values);
  let out = '';
  for (const row of request.values) out += `${JSON.stringify(row)}\n`;
  return Buffer.from(out);
}
