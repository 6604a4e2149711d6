import { describe, expect, it, vi } from 'vitest';
import { HttpError } from './errors.ts';
import {
  acknowledgedWithin,
  assertWithinLimit,
  eventLogUnavailable,
  publishThenAwait,
  wantsAsyncAnswer,
} from './event-log-answer.ts';

const waitFor = <T>(outcome: Promise<T>) => {
  const cancel = vi.fn();
  return { wait: { outcome, cancel }, cancel };
};

describe('wantsAsyncAnswer', () => {
  it('is ?mode=async or Prefer: respond-async', () => {
    expect(wantsAsyncAnswer('async', undefined)).toBe(true);
    expect(wantsAsyncAnswer(undefined, 'wait=5, respond-async')).toBe(true);
    expect(wantsAsyncAnswer(undefined, undefined)).toBe(false);
    expect(wantsAsyncAnswer('sync', 'return=minimal')).toBe(false);
  });
});

describe('eventLogUnavailable', () => {
  it('keeps an HttpError and makes a 503 KAFKA_UNAVAILABLE of anything else', () => {
    const own = new HttpError('OVERLOADED');
    expect(eventLogUnavailable(own)).toBe(own);
    const wrapped = eventLogUnavailable(new Error('broker down'));
    expect(wrapped.code).toBe('KAFKA_UNAVAILABLE');
    expect(wrapped.status).toBe(503);
    expect(wrapped.message).toContain('broker down');
  });
});

describe('acknowledgedWithin', () => {
  it('resolves when the send does', async () => {
    const onFailure = vi.fn();
    await acknowledgedWithin(1_000, async () => 'ok', onFailure);
    expect(onFailure).not.toHaveBeenCalled();
  });

  it('a send slower than the timeout is a 503 after onFailure', async () => {
    const onFailure = vi.fn();
    const slow = acknowledgedWithin(20, () => new Promise(() => {}), onFailure);
    await expect(slow).rejects.toMatchObject({
      code: 'KAFKA_UNAVAILABLE',
      message: expect.stringContaining('20 ms'),
    });
    expect(onFailure).toHaveBeenCalledOnce();
  });

  it('a failed send is a 503 after onFailure', async () => {
    const onFailure = vi.fn();
    await expect(
      acknowledgedWithin(1_000, () => Promise.reject(new Error('nope')), onFailure),
    ).rejects.toMatchObject({
      code: 'KAFKA_UNAVAILABLE',
    });
    expect(onFailure).toHaveBeenCalledOnce();
  });
});

describe('publishThenAwait', () => {
  it('returns the outcome once published and final', async () => {
    const { wait, cancel } = waitFor(Promise.resolve({ accepted: 2 }));
    await expect(publishThenAwait(async () => {}, wait, 1_000)).resolves.toEqual({ accepted: 2 });
    expect(cancel).not.toHaveBeenCalled();
  });

  it('is null (pending) without a wait (async mode)', async () => {
    const publish = vi.fn(async () => {});
    await expect(publishThenAwait(publish, undefined, 1_000)).resolves.toBeNull();
    expect(publish).toHaveBeenCalledOnce();
  });

  it('is null and cancels the wait when the outcome is not final in time', async () => {
    const { wait, cancel } = waitFor(new Promise<number>(() => {}));
    await expect(publishThenAwait(async () => {}, wait, 20)).resolves.toBeNull();
    expect(cancel).toHaveBeenCalledOnce();
  });

  it('cancels the wait and answers 503 when the publish fails', async () => {
    const { wait, cancel } = waitFor(new Promise<number>(() => {}));
    const failed = publishThenAwait(() => Promise.reject(new Error('broker down')), wait, 1_000);
    await expect(failed).rejects.toMatchObject({ code: 'KAFKA_UNAVAILABLE' });
    expect(cancel).toHaveBeenCalledOnce();
  });
});

describe('assertWithinLimit', () => {
  it('is a 413 TOO_MANY_EVENTS naming the limit past it, nothing up to it', () => {
    expect(() => assertWithinLimit(3, 3, 'events')).not.toThrow();
    expect(() => assertWithinLimit(4, 3, 'readings', 'request')).toThrow(
      expect.objectContaining({
        code: 'TOO_MANY_EVENTS',
        message: 'A request holds at most 3 readings; this one has 4.',
      }),
    );
  });
});
