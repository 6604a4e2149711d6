import { Readable } from 'node:stream';
import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
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
import { definedFields } from './defined-fields.ts';
import { type EmbeddedEngineLimits, startEmbeddedEngine } from './embedded-engine.ts';
import { createSerialSettingsGuard } from './embedded-guard.ts';
import { ClickHouseAdapterError } from './errors.ts';

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

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

const DATABASE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Opens the embedded engine (no url) or a ClickHouse server over HTTP; the same SQL runs on both. */
export async function openClickHouse(cfg: ClickHouseConfig): Promise<ClickHouseHandle> {
  const database = cfg.database ?? 'default';
  if (!DATABASE_NAME.test(database)) {
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_CONFIG_INVALID',
      `invalid database name ${JSON.stringify(database)}`,
    );
  }
  return cfg.url === undefined ? openEmbedded(cfg.dataDir, database, cfg.engine) : openHttp(cfg, database);
}

async function openEmbedded(
  dataDir: string,
  database: string,
  limits: EmbeddedEngineLimits | undefined,
): Promise<ClickHouseHandle> {
  let client: ClickHouseClient;
  let engine: ReturnType<typeof startEmbeddedEngine>;
  try {
    engine = startEmbeddedEngine(dataDir, limits);
    // chdb 3.4 types its connection against @clickhouse/client-common 1.23.0, while
    // @clickhouse/client 1.23.1 inlines its own copy of those types: identical at runtime, but
    // nominally different to tsc.
    const connection = createChdbConnection({ path: dataDir }) as unknown as ClientConnection;
    client = createClient({ connection });
  } catch (cause) {
    engine?.close();
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_UNAVAILABLE',
      `cannot open embedded ClickHouse in ${dataDir}`,
      {
        cause,
      },
    );
  }
  const guard = createSerialSettingsGuard(client);
  try {
    if (database !== 'default') {
      // USE is session state in chdb: every later statement of this process runs in `database`.
      await guard.run(undefined, () =>
        client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` }),
      );
      await guard.run(undefined, () => client.command({ query: `USE ${database}` }));
    }
  } catch (cause) {
    await client.close();
    engine?.close();
    throw cause;
  }
  return buildHandle('embedded', client, guard.run, () => engine?.close());
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
  return buildHandle('http', client, (_settings, fn) => fn());
}

type Run = <T>(
  settings: ClickHouseSettings | undefined,
  fn: (settings?: ClickHouseSettings) => Promise<T>,
) => Promise<T>;

function buildHandle(
  mode: ClickHouseMode,
  client: ClickHouseClient,
  run: Run,
  afterClose: () => void = () => {},
): ClickHouseHandle {
  let closed = false;
  const query = (sql: string, options: StatementOptions = {}): Promise<Row[]> =>
    run(options.settings, async (settings) => {
      const rs = await client.query({
        query: sql,
        format: 'JSONEachRow',
        ...definedFields({
          query_params: options.params,
          clickhouse_settings: settings,
          abort_signal: options.signal,
        }),
      });
      return rs.json<Row>();
    });
  const command = (sql: string, options: StatementOptions = {}): Promise<void> =>
    run(options.settings, async (settings) => {
      await client.command({
        query: sql,
        ...definedFields({
          query_params: options.params,
          clickhouse_settings: settings,
          abort_signal: options.signal,
        }),
      });
    });
  const insert = (request: InsertRequest): Promise<void> =>
    run(request.settings, async (settings) => {
      if (request.values.length === 0) return;
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
  const reader: ClickHouseReader = Object.freeze({ mode, query });
  const writer: ClickHouseWriter = Object.freeze({ mode, query, insert, command });
  return Object.freeze({
    mode,
    reader,
    writer,
    async ping(): Promise<PingResult> {
      if (closed) return { ok: false, error: new Error('ClickHouse handle is closed') };
      const result = await run(undefined, () => client.ping());
      return result.success ? { ok: true } : { ok: false, error: result.error };
    },
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      await run(undefined, () => client.close());
      afterClose();
    },
  });
}
