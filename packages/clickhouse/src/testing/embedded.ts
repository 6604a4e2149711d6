import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClickHouseHandle,
  type ClickHouseReader,
  type ClickHouseWriter,
  openClickHouse,
} from '../client.ts';
import { migrate } from '../migrate.ts';

export interface EmbeddedClickHouse {
  handle: ClickHouseHandle;
  reader: ClickHouseReader;
  writer: ClickHouseWriter;
  /** The fresh temp data directory (removed by stop()). */
  dataDir: string;
  /** Closes the engine and removes the data directory; idempotent. */
  stop(): Promise<void>;
}

/**
 * Opens the embedded engine (chdb) in a fresh temp directory and applies the migrations (unless
 * `migrate: false`). libchdb binds ONE data directory per process: stop it before starting another,
 * and run the test files that use it in forked processes (the `integration` vitest project does).
 */
export async function startEmbeddedClickHouse(
  options: { migrate?: boolean; sessions?: number } = {},
): Promise<EmbeddedClickHouse> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-'));
  let handle: ClickHouseHandle;
  try {
    // The services' default session pool (SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS), so that tests run
    // the statements side by side as the services do.
    handle = await openClickHouse({ dataDir, sessions: options.sessions ?? 2 });
  } catch (error) {
    await rm(dataDir, { recursive: true, force: true });
    throw error;
  }
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    try {
      await handle.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  try {
    if (options.migrate !== false) await migrate(handle.writer);
  } catch (error) {
    await stop();
    throw error;
  }
  return { handle, reader: handle.reader, writer: handle.writer, dataDir, stop };
}

/** Runs `fn` against a fresh migrated embedded ClickHouse and always closes and removes it. */
export async function withEmbeddedClickHouse<T>(fn: (ch: EmbeddedClickHouse) => Promise<T>): Promise<T> {
  const ch = await startEmbeddedClickHouse();
  try {
    return await fn(ch);
  } finally {
    await ch.stop();
  }
}
