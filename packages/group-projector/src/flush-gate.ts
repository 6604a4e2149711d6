import type { Heartbeat } from './retry-with-heartbeat.ts';

/** How often a flush held at the gate heartbeats the consumer group (kafkajs throttles to 3 s). */
const HELD_HEARTBEAT_MS = 1_000;

/**
 * Lets other work run between two of the projector's flushes with no flush running: `hold(work)`
 * waits for the running flush to end, runs `work`, and keeps every later flush waiting until it
 * returns. A held flush heartbeats its consumer group while it waits, so a hold shorter than the
 * session timeout's worth of fetches costs no rebalance.
 */
export function createFlushGate() {
  let running: Promise<unknown> = Promise.resolve();
  let held: Promise<unknown> | undefined;

  return {
    /** Runs one flush once no hold is in progress; flushes themselves run one at a time already. */
    async pass<T>(heartbeat: Heartbeat | undefined, flush: () => Promise<T>): Promise<T> {
      while (held) {
        const hold = held;
        const beat = setInterval(() => void heartbeat?.().catch(() => {}), HELD_HEARTBEAT_MS);
        try {
          await hold.catch(() => {});
        } finally {
          clearInterval(beat);
        }
      }
      const result = flush();
      running = result.catch(() => {});
      return result;
    },
    /** Runs `work` with no flush running, holding the next ones until it settles. One hold at a time. */
    async hold<T>(work: () => Promise<T>): Promise<T> {
      while (held) await held.catch(() => {});
      const result = (async () => {
        await running;
        return work();
      })();
      held = result;
      try {
        return await result;
      } finally {
        held = undefined;
      }
    },
  };
}

export type FlushGate = ReturnType<typeof createFlushGate>;
