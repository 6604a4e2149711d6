import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClickHouseHandle, migrate, openClickHouse } from '../src/index.ts';

/** A fresh embedded engine in a temp dir; `stop()` closes it and removes the dir (idempotent). */
export async function openTestClickHouse(options: { migrate?: boolean } = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'shopfloor-ch-test-'));
  let handle: ClickHouseHandle | undefined;
  const stop = async () => {
    const h = handle;
    handle = undefined;
    try {
      await h?.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  };
  try {
    handle = await openClickHouse({ dataDir });
    if (options.migrate !== false) await migrate(handle.writer);
  } catch (error) {
    await stop();
    throw error;
  }
  const h = handle;
  return { handle: h, reader: h.reader, writer: h.writer, dataDir, stop };
}

export type TestClickHouse = Awaited<ReturnType<typeof openTestClickHouse>>;

/** Deterministic PRNG (mulberry32). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
