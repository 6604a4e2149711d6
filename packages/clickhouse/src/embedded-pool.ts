import { type ClickHouseClient, type ClickHouseSettings, createClient } from '@clickhouse/client';
import { createChdbConnection } from 'chdb/connection';
import { createSerialSettingsGuard } from './embedded-guard.ts';
import { ClickHouseAdapterError } from './errors.ts';

type ClientConnection = NonNullable<NonNullable<Parameters<typeof createClient>[0]>['connection']>;

/** Runs one statement with its settings on a client the runner picks (one session of a pool, or the HTTP client). */
export type StatementRunner = {
  run<T>(
    settings: ClickHouseSettings | undefined,
    fn: (client: ClickHouseClient, settings?: ClickHouseSettings) => Promise<T>,
  ): Promise<T>;
  /** Lets the statements already given finish, then closes every client. */
  close(): Promise<void>;
};

type PooledSession = {
  client: ClickHouseClient;
  guard: ReturnType<typeof createSerialSettingsGuard>;
  /** Statements queued or running on this session. */
  pending: number;
};

/**
 * Opens `size` chdb sessions (connections) on the engine bound to `dataDir`. Each session has its
 * own sticky settings, `USE` and parameter state (chdb 3.4: a `SET` on one does not reach another),
 * so each gets its own settings guard and its own `USE database`; the statements of different
 * sessions run on the engine at the same time. A statement goes to the session with the fewest
 * statements queued or running (ties: the lowest index), so a short statement does not wait behind
 * a bulk insert while another session is free. Size 1 is the former single serial session.
 */
export async function openEmbeddedSessionPool(
  dataDir: string,
  database: string,
  size: number,
): Promise<StatementRunner> {
  const sessions: PooledSession[] = [];
  const closeAll = () => Promise.all(sessions.map((s) => s.client.close()));
  try {
    for (let i = 0; i < size; i++) {
      // chdb 3.4 types its connection against @clickhouse/client-common 1.23.0, while
      // @clickhouse/client 1.23.1 inlines its own copy of those types: identical at runtime, but
      // nominally different to tsc.
      const connection = createChdbConnection({ path: dataDir }) as unknown as ClientConnection;
      const client = createClient({ connection });
      sessions.push({ client, guard: createSerialSettingsGuard(client), pending: 0 });
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

  function leastBusy(): PooledSession {
    let best = sessions[0] as PooledSession;
    for (const s of sessions) if (s.pending < best.pending) best = s;
    return best;
  }

  return {
    async run(settings, fn) {
      const session = leastBusy();
      session.pending++;
      try {
        return await session.guard.run(settings, (applied) => fn(session.client, applied));
      } finally {
        session.pending--;
      }
    },
    async close() {
      await Promise.all(sessions.map((s) => s.guard.run(undefined, () => s.client.close())));
    },
  };
}
