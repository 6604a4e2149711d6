import { describe, expect, it } from 'vitest';
import { settleWithin } from './settle-within.ts';

describe('settleWithin', () => {
  it('gives what work settled with in time, value or rejection', async () => {
    expect(await settleWithin(Promise.resolve(7), 1_000, () => new Error('late'))).toBe(7);
    const failure = new Error('refused');
    await expect(settleWithin(Promise.reject(failure), 1_000, () => new Error('late'))).rejects.toBe(failure);
  });

  it('rejects with the timeout error when work has not settled in time', async () => {
    const late = new Error('no answer within 20 ms');
    await expect(settleWithin(new Promise(() => {}), 20, () => late)).rejects.toBe(late);
  });
});
