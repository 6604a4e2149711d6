import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ClickHouseHandle,
  type ClickHouseReader,
  type ClickHouseWriter,
  migrate,
  openClickHouse,
} from '@shopfloor/clickhouse';
import { test } from 'vitest';

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
 * Opens the embedded engine (chdb) in a fresh temp directory and applies the migrations. libchdb
 * binds ONE data directory per process: stop it before starting another, and run the test files that
 * use it in forked processes (the `integration` vitest project does).
 */
export async function startEmbeddedClickHouse(
  options: { migrate?: boolean } = {},
): Promise<EmbeddedClickHouse> {
  const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-'));
  let handle: ClickHouseHandle;
  try {
    handle = await openClickHouse({ dataDir });
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

export interface ClickHouseFixtures {
  /** One fresh migrated embedded ClickHouse per test file, stopped after the file. */
  clickhouse: EmbeddedClickHouse;
}

/** `clickHouseTest('...', async ({ clickhouse }) => ...)`; the engine is shared by the file's tests. */
export const clickHouseTest = test.extend<ClickHouseFixtures>({
  clickhouse: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from the pattern
    async ({}, use) => {
      const ch = await startEmbeddedClickHouse();
      try {
        await use(ch);
      } finally {
        await ch.stop();
      }
    },
    { scope: 'file' },
  ],
});
