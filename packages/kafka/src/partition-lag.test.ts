import { describe, expect, it } from 'vitest';
import { partitionLag } from './partition-lag.ts';

const range = { partition: 2, start: 10n, end: 25n };

describe('partitionLag', () => {
  it('is log end minus the committed offset', () => {
    expect(partitionLag({ topic: 't', partition: 2, offset: 20n }, range)).toEqual({
      topic: 't',
      partition: 2,
      committed: 20n,
      logEnd: 25n,
      lag: 5n,
    });
  });

  it('is the whole retained log (end minus start) before any commit', () => {
    expect(partitionLag({ topic: 't', partition: 2, offset: undefined }, range).lag).toBe(15n);
  });

  it('is never negative, and zero on a partition whose range is unknown', () => {
    expect(partitionLag({ topic: 't', partition: 2, offset: 30n }, range).lag).toBe(0n);
    expect(partitionLag({ topic: 't', partition: 9, offset: undefined }, undefined)).toMatchObject({
      logEnd: 0n,
      lag: 0n,
    });
  });
});
