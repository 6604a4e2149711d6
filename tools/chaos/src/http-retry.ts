// A client that re-sends a request until it gets a final answer, the way a device or an API client
// re-sends whatever was not acknowledged: a connection reset (the process was killed), a timeout, a
// 503, or an answer its caller says is not final yet (a 404 of an alert not yet visible).
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostStats } from './machine-clients.ts';

export type Answer = { status: number; body: unknown };
export type FinalAnswer = Answer & { attempts: number };

function failureReason(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'timeout';
  return `network ${e.cause?.code ?? e.cause?.message ?? e.message}`;
}

/**
 * Sends `body` to `url` until `final(answer)` holds; a 5xx, a network error, a timeout or a
 * non-final answer is retried with capped exponential backoff and jitter. Throws past `giveUpMs`,
 * or on a 4xx that `final` does not accept and `retryable` does not name.
 */
export async function requestUntilFinal(input: {
  url: string;
  method: 'POST' | 'PATCH';
  body: unknown;
  stats: PostStats;
  rand: () => number;
  giveUpMs: number;
  final: (a: Answer) => boolean;
  /** 4xx statuses that mean "not yet" (retried), e.g. 404 for an alert not yet visible. */
  retryable?: readonly number[];
  /** Called before every attempt is sent (answered or not), for a caller that counts what may have reached the service. */
  onAttempt?: () => void;
}): Promise<FinalAnswer> {
  const body = JSON.stringify(input.body);
  const t0 = Date.now();
  for (let attempt = 0; ; attempt++) {
    input.stats.requests++;
    if (attempt === 1) input.stats.batchesRetried++;
    if (attempt > 0) input.stats.retries++;
    input.onAttempt?.();
    let reason: string;
    try {
      const res = await fetch(input.url, {
        method: input.method,
        headers: { 'content-type': 'application/json' },
        body,
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {}
      const answer = { status: res.status, body: parsed };
      if (input.final(answer)) {
        input.stats.maxAckMs = Math.max(input.stats.maxAckMs, Date.now() - t0);
        return { ...answer, attempts: attempt + 1 };
      }
      const code = String((parsed as { code?: unknown } | null)?.code ?? '');
      reason = `${res.status} ${code}`.trim();
      if (res.status >= 400 && res.status < 500 && !input.retryable?.includes(res.status))
        throw new Error(`refused: ${input.method} ${input.url} ${res.status} ${text.slice(0, 300)}`);
    } catch (err) {
      if ((err as Error).message.startsWith('refused:')) throw err;
      reason = failureReason(err);
    }
    input.stats.failures[reason] = (input.stats.failures[reason] ?? 0) + 1;
    if (Date.now() - t0 > input.giveUpMs)
      throw new Error(
        `${input.method} ${input.url}: no final answer within ${input.giveUpMs} ms (last: ${reason})`,
      );
    const base = Math.min(2_000, 100 * 2 ** Math.min(attempt, 5));
    await sleep(base / 2 + input.rand() * (base / 2));
  }
}
