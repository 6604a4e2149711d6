// Machines posting to the gateway in async mode (202 = durable in Kafka). Each client posts its
// batches one after another and retries a batch until it is acknowledged, the way a machine
// re-sends whatever was not acknowledged: a connection reset (gateway killed), a timeout, a 503.
import { setTimeout as sleep } from 'node:timers/promises';
import { seededRandom } from '@shopfloor/contracts/testing';
import { type PacedClientInput, sendPaced, uniformBatchSize } from './paced-client.ts';
import type { ClientWorkload } from './workload.ts';

export type PostStats = {
  requests: number;
  /** Attempts after the first one of a batch. */
  retries: number;
  /** Batches that needed more than one attempt. */
  batchesRetried: number;
  /** Why attempts failed: "503 KAFKA_UNAVAILABLE", "network ECONNREFUSED", "timeout", ... */
  failures: Record<string, number>;
  /** Longest time from a batch's first attempt to its acknowledgement. */
  maxAckMs: number;
};

export function emptyPostStats(): PostStats {
  return { requests: 0, retries: 0, batchesRetried: 0, failures: {}, maxAckMs: 0 };
}

function failureReason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return `network ${e.cause?.code ?? e.cause?.message ?? e.message}`;
}

/** Posts one batch until the gateway acknowledges it; throws past `giveUpMs` or on a 4xx. */
export async function postUntilAcknowledged(
  url: string,
  events: readonly unknown[],
  stats: PostStats,
  rand: () => number,
  giveUpMs: number,
): Promise<void> {
  const body = JSON.stringify(events);
  const t0 = Date.now();
  for (let attempt = 0; ; attempt++) {
    stats.requests++;
    if (attempt === 1) stats.batchesRetried++;
    if (attempt > 0) stats.retries++;
    let reason: string;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      if (res.status === 202) {
        stats.maxAckMs = Math.max(stats.maxAckMs, Date.now() - t0);
        return;
      }
      let code = '';
      try {
        code = String((JSON.parse(text) as { code?: unknown }).code ?? '');
      } catch {}
      if (res.status >= 400 && res.status < 500)
        throw new Error(`gateway refused a batch: ${res.status} ${text.slice(0, 300)}`);
      reason = `${res.status} ${code}`.trim();
    } catch (err) {
      if ((err as Error).message.startsWith('gateway refused')) throw err;
      reason = failureReason(err);
    }
    stats.failures[reason] = (stats.failures[reason] ?? 0) + 1;
    if (Date.now() - t0 > giveUpMs)
      throw new Error(`a batch was not acknowledged within ${giveUpMs} ms (last: ${reason})`);
    // Exponential backoff with jitter, capped at 2 s.
    const base = Math.min(2_000, 100 * 2 ** Math.min(attempt, 5));
    await sleep(base / 2 + rand() * (base / 2));
  }
}

/**
 * Runs one client: batches of `minBatch..maxBatch` events until `quota` events are sent, paced to
 * spread them over `durationMs` (a slow gateway just makes the client late, never skips a batch).
 */
export async function runClient(
  input: PacedClientInput & {
    url: string;
    workload: ClientWorkload;
    minBatch: number;
    maxBatch: number;
    stopSignal?: { stop: boolean };
  },
): Promise<void> {
  const rand = seededRandom(input.seed);
  await sendPaced(input, uniformBatchSize(rand, input.minBatch, input.maxBatch), (size) =>
    postUntilAcknowledged(input.url, input.workload.batch(size), input.stats, rand, input.giveUpMs),
  );
}
