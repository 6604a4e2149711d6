import { settleWithin } from '@shopfloor/contracts';
import { HttpError } from './errors.ts';

/** A request's wait for its final outcome (visible to queries), and the way to stop waiting. */
export type OutcomeWait<T> = { outcome: Promise<T>; cancel(): void };

const PREFER_ASYNC = /\brespond-async\b/i;

/** `?mode=async` or `Prefer: respond-async`: answer 202 as soon as the request is durable. */
export function wantsAsyncAnswer(mode: string | undefined, prefer: string | string[] | undefined): boolean {
  return mode === 'async' || (typeof prefer === 'string' && PREFER_ASYNC.test(prefer));
}

/** 413 TOO_MANY_EVENTS when a request holds more than `max` items (`items`: "events", "readings"). */
export function assertWithinLimit(count: number, max: number, items: string, holder = 'batch'): void {
  if (count > max)
    throw new HttpError(
      'TOO_MANY_EVENTS',
      `A ${holder} holds at most ${max} ${items}; this one has ${count}.`,
    );
}

/** A failed append to the event log as the 503 the client retries on (an HttpError stays as it is). */
export function eventLogUnavailable(err: unknown): HttpError {
  if (err instanceof HttpError) return err;
  return new HttpError(
    'KAFKA_UNAVAILABLE',
    `The event log is unavailable (${(err as Error).message}); nothing of this request was acknowledged. Retry later.`,
  );
}

/**
 * Runs one send to the event log bounded in time (the producer's own timeout is the broker's): a
 * failure or no acknowledgement within `timeoutMs` calls `onFailure` (the caller renews its
 * producer) and is a 503 KAFKA_UNAVAILABLE; the client retries, and whatever did land is deduped
 * by the stream's identity.
 */
export async function acknowledgedWithin(
  timeoutMs: number,
  send: () => Promise<unknown>,
  onFailure: () => void = () => {},
): Promise<void> {
  try {
    await settleWithin(
      send(),
      timeoutMs,
      () => new Error(`Kafka did not acknowledge within ${timeoutMs} ms`),
    );
  } catch (err) {
    onFailure();
    throw eventLogUnavailable(err);
  }
}

/**
 * The ingest routes' answer logic: publishes, then, when a wait was started (sync mode, started
 * before publishing so no outcome is missed), waits up to `syncTimeoutMs` for the outcome. Returns
 * the outcome, or null when the answer is pending (async mode, or not final in time: the wait is
 * cancelled). A failed publish cancels the wait and is a 503 KAFKA_UNAVAILABLE.
 */
export async function publishThenAwait<T>(
  publish: () => Promise<void>,
  wait: OutcomeWait<T> | undefined,
  syncTimeoutMs: number,
): Promise<T | null> {
  try {
    await publish();
  } catch (err) {
    wait?.cancel();
    throw eventLogUnavailable(err);
  }
  if (!wait) return null;
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    wait.outcome,
    new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), syncTimeoutMs);
    }),
  ]);
  clearTimeout(timer);
  if (outcome === null) wait.cancel();
  return outcome;
}
