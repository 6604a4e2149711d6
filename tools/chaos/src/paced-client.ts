import { setTimeout as sleep } from 'node:timers/promises';
import type { PostStats } from './machine-clients.ts';

/** What every chaos client (machines, devices, API clients) is given: how much, how fast, how patient. */
export interface PacedClientInput {
  /** Items (events, readings) this client sends in all. */
  quota: number;
  /** The quota is spread evenly over this (a slow service just makes the client late). */
  durationMs: number;
  seed: number;
  stats: PostStats;
  /** One batch not acknowledged within this fails the run. */
  giveUpMs: number;
}

/** A batch size drawn uniformly from `[minBatch, maxBatch]`. */
export const uniformBatchSize = (rand: () => number, minBatch: number, maxBatch: number) => () =>
  minBatch + Math.floor(rand() * (maxBatch - minBatch + 1));

/**
 * Sends `quota` items in batches of `nextSize()` (cut to what is left), each batch not before its
 * share of `durationMs` has passed, one after another; `send` returns when its batch is acknowledged.
 * The size is drawn before `send` runs, so a seed gives the same batches whatever `send` draws.
 */
export async function sendPaced(
  c: Pick<PacedClientInput, 'quota' | 'durationMs'> & { stopSignal?: { stop: boolean } },
  nextSize: () => number,
  send: (size: number) => Promise<void>,
): Promise<void> {
  const t0 = Date.now();
  let sent = 0;
  while (sent < c.quota && !c.stopSignal?.stop) {
    const size = Math.min(c.quota - sent, nextSize());
    const due = t0 + (sent / c.quota) * c.durationMs;
    if (due > Date.now()) await sleep(due - Date.now());
    await send(size);
    sent += size;
  }
}
