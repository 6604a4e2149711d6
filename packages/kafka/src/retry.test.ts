import { describe, expect, it } from 'vitest';
import { backoffDelay, retryWithJitter } from './retry.ts';

const transient = Object.assign(new Error('refused'), { code: 'ECONNREFUSED' });

describe('backoffDelay', () => {
  it('grows exponentially up to the cap', () => {
    const mid = () => 0.5; // no jitter
    expect([0, 1, 2, 3].map((a) => backoffDelay(a, { initialDelayMs: 100, random: mid }))).toEqual([
      100, 200, 400, 800,
    ]);
    expect(backoffDelay(20, { initialDelayMs: 100, maxDelayMs: 5_000, random: mid })).toBe(5_000);
  });

  it('spreads delays by the jitter fraction either way', () => {
    expect(backoffDelay(0, { initialDelayMs: 1_000, jitter: 0.2, random: () => 0 })).toBe(800);
    expect(backoffDelay(0, { initialDelayMs: 1_000, jitter: 0.2, random: () => 0.999999 })).toBe(1_200);
  });
});

describe('retryWithJitter', () => {
  const noSleep = async () => {};

  it('retries retriable failures until success', async () => {
    const delays: number[] = [];
    let calls = 0;
    const result = await retryWithJitter(
      async () => {
        calls += 1;
        if (calls < 3) throw transient;
        return 'ok';
      },
      { sleep: noSleep, random: () => 0.5, onRetry: ({ delayMs }) => delays.push(delayMs) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
    expect(delays).toEqual([100, 200]);
  });

  it('rethrows non-retriable errors at once', async () => {
    let calls = 0;
    const fatal = new TypeError('bug');
    await expect(
      retryWithJitter(
        async () => {
          calls += 1;
          throw fatal;
        },
        { sleep: noSleep },
      ),
    ).rejects.toBe(fatal);
    expect(calls).toBe(1);
  });

  it('gives up after the configured retries', async () => {
    let calls = 0;
    await expect(
      retryWithJitter(
        async () => {
          calls += 1;
          throw transient;
        },
        { retries: 2, sleep: noSleep },
      ),
    ).rejects.toBe(transient);
    expect(calls).toBe(3);
  });

  it('stops waiting when aborted during a backoff', async () => {
    const controller = new AbortController();
    const started = Date.now();
    const pending = retryWithJitter(
      async () => {
        throw transient;
      },
      {
        initialDelayMs: 60_000,
        signal: controller.signal,
        onRetry: () => setTimeout(() => controller.abort(new Error('shutdown')), 10),
      },
    );
    await expect(pending).rejects.toThrow('shutdown');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('rethrows the last error when already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      retryWithJitter(
        async () => {
          throw transient;
        },
        { signal: controller.signal, sleep: noSleep },
      ),
    ).rejects.toBe(transient);
  });
});
