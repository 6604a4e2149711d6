import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { type ChdbExtension, createChdbConnection } from 'chdb/connection';
import type { InsertFormat } from './client-types.ts';
import { createSerialSettingsGuard } from './embedded-guard.ts';
import { ClickHouseAdapterError } from './errors.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Which statements a session takes: writes (inserts, DDL, the pipeline's own reads) or the API's reads. */
export type StatementLane = 'write' | 'read';

/** Runs one statement with its settings on a client the runner picks (one session of a pool, or the HTTP client). */
export type StatementRunner = {
  run<T>(
    settings: ClickHouseSettings | undefined,
    fn: (client: ClickHouseClient, settings?: ClickHouseSettings) => Promise<T>,
    lane?: StatementLane,
  ): Promise<T>;
  /**
   * Embedded only: an insert whose body is already encoded, handed to the engine as bytes with its
   * settings in the statement's own SETTINGS clause (so nothing stays set on the session). Absent
   * over HTTP, where `run` and the client's insert already send the body as bytes.
   */
  insertBytes?(insert: EncodedInsert): Promise<void>;
  /** Lets the statements already given finish, then closes every client. */
  close(): Promise<void>;
};

/** One insert statement with its body in `format`, as bytes. */
export type EncodedInsert = {
  table: string;
  columns: readonly string[];
  format: InsertFormat;
  body: Buffer;
  settings: ClickHouseSettings | undefined;
};

type PooledSession = {
  client: ClickHouseClient;
  /** chdb's raw insert on this session: the body goes to the engine without a copy. */
  rawInsert: ChdbExtension['rawInsert'];
  guard: ReturnType<typeof createSerialSettingsGuard>;
  /** Statements queued or running on this session. */
  pending: number;
};

/**
 * Opens `size` chdb sessions (connections) on the engine bound to `dataDir`, and `readSessions`
 * more that only the read lane uses. Each session has its own sticky settings, `USE` and parameter
 * state (chdb 3.4: a `SET` on one does not reach another), so each gets its own settings guard and
 * its own `USE database`; the statements of different sessions run on the engine at the same time.
 * A statement goes to the session of its lane with the fewest statements queued or running (ties:
 * the read sessions first, then the lowest index), so a short statement does not wait behind a bulk
 * insert while another session is free. A read may take any session; a write never takes a read
 * session, so an API read never queues behind the projectors' inserts, which go side by side and
 * can hold every write session at once. Size 1 and no read session is the former single serial session.
 */
export async function openEmbeddedSessionPool(
  dataDir: string,
  database: string,
  size: number,
  readSessions = 0,
): Promise<StatementRunner> {
  const sessions: PooledSession[] = [];
  const closeAll = () => Promise.all(sessions.map((s) => s.client.close()));
  try {
    for (let i = 0; i < size + readSessions; i++) {
      // chdb 3.4 types its connection against @clickhouse/client-common 1.23.0, while
      // @clickhouse/client 1.23.1 inlines its own copy of those types: identical at runtime, but
      // nominally different to tsc.
      const chdb = createChdbConnection({ path: dataDir });
      const client = createClient({ connection: chdb as unknown as ClientConnection });
      sessions.push({
        client,
        rawInsert: chdb.chdb.rawInsert,
        guard: createSerialSettingsGuard(client),
        pending: 0,
      });
    }
  } catch (cause) {
    await closeAll().catch(() => undefined);
    throw new ClickHouseAdapterError(
      'CLICKHOUSE_UNAVAILABLE',
      `cannot open embedded ClickHouse in ${dataDir}`,
      {
        cause,
      },
    );
  }
  try {
    if (database !== 'default') {
      await sessions[0]?.client.command({ query: `CREATE DATABASE IF NOT EXISTS ${database}` });
      // USE is session state in chdb: every later statement of that session runs in `database`.
      for (const s of sessions) await s.client.command({ query: `USE ${database}` });
    }
  } catch (cause) {
    await closeAll().catch(() => undefined);
    throw cause;
  }

  const writeLane = sessions.slice(0, size);
  const readLane = [...sessions.slice(size), ...writeLane];
  function leastBusy(lane: readonly PooledSession[]): PooledSession {
    let best = lane[0] as PooledSession;
    for (const s of lane) if (s.pending < best.pending) best = s;
    return best;
  }

  let closed = false;
  async function onLeastBusy<T>(lane: StatementLane, fn: (session: PooledSession) => Promise<T>) {
    if (closed)
      throw new ClickHouseAdapterError('CLICKHOUSE_UNAVAILABLE', 'the embedded session pool is closed');
    const session = leastBusy(lane === 'read' ? readLane : writeLane);
    session.pending++;
    try {
      return await fn(session);
    } finally {
      session.pending--;
    }
  }

  return {
    run: (settings, fn, lane = 'write') =>
      onLeastBusy(lane, (session) => session.guard.run(settings, (applied) => fn(session.client, applied))),
    // 0.73-0.95x of the CPU per insert of the @clickhouse/client path (bench/micro/raw-insert.ts),
    // which turns the body from a stream back into a string, prefixes a `SET` per setting and copies
    // it all into the engine as SQL. Here the settings are the statement's own, so they are not
    // sticky and the guard has nothing to reset after it.
    insertBytes: (insert) =>
      onLeastBusy('write', (session) =>
        session.guard.runStatementScoped(insert.settings, async () => {
          await session.rawInsert({
            table: insert.table,
            columns: [...insert.columns],
            format: insert.format,
            values: insert.body,
            ...(insert.settings === undefined ? {} : { settings: primitiveSettings(insert.settings) }),
          });
        }),
      ),
    async close() {
      closed = true;
      await Promise.all(sessions.map((s) => s.guard.run(undefined, () => s.client.close())));
    },
  };
}

/** chdb's raw insert takes only scalar settings; a map-valued one is a caller's mistake, said so. */
function primitiveSettings(settings: ClickHouseSettings): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (typeof value === 'object') throw new TypeError(`setting ${key} of an insert is not a scalar`);
    out[key] = value;
  }
  return out;
}
