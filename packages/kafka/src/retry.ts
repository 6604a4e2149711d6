import { isRetriableKafkaError } from './retriable.ts';

export interface RetryOptions {
  /** Retries after the first attempt. Default 5. */
  retries?: number;
  initialDelayMs?: number;
  maxDelayMs?: number;
  factor?: number;
  /** Fraction of the delay randomised either way, 0..1. Default 0.2. */
  jitter?: number;
  isRetriable?: (err: unknown) => boolean;
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
  signal?: AbortSignal;
  /** Injectable for tests. */
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Exponential backoff with jitter (as kafkajs does internally), so that many consumers recovering
 * from the same outage do not retry in lockstep. `attempt` is 0 for the first retry.
 */
export function backoffDelay(
  attempt: number,
  opts: Pick<RetryOptions, 'initialDelayMs' | 'maxDelayMs' | 'factor' | 'jitter' | 'random'> = {},
): number {
  const initial = opts.initialDelayMs ?? 100;
  const max = opts.maxDelayMs ?? 30_000;
  const factor = opts.factor ?? 2;
  const jitter = opts.jitter ?? 0.2;
  const random = opts.random ?? Math.random;
  const base = Math.min(max, initial * factor ** attempt);
  const spread = base * jitter * (random() * 2 - 1);
  return Math.max(0, Math.min(max, Math.round(base + spread)));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Runs `fn` until it succeeds, a non-retriable error is thrown, or retries run out. */
export async function retryWithJitter<T>(
  fn: (attempt: number) => Promise<T>,
  opts: RetryOptions = {},
): Promise<T> {
  const retries = opts.retries ?? 5;
  const isRetriable = opts.isRetriable ?? isRetriableKafkaError;
  const sleep = opts.sleep ?? defaultSleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= retries || !isRetriable(error) || opts.signal?.aborted) throw error;
      const delayMs = backoffDelay(attempt, opts);
      opts.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs, opts.signal);
    }
  }
}
