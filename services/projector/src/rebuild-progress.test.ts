import { describe, expect, it } from 'vitest';
import { positionsBetween, rateAndEta } from './rebuild-progress.ts';

describe('rebuild progress', () => {
  it('counts the log positions between two positions, per partition, from -1 when absent', () => {
    const from = new Map([['t:0', 9n]]);
    const to = new Map([
      ['t:0', 19n],
      ['t:1', 4n],
      ['t:2', -1n],
    ]);
    expect(positionsBetween(from, to)).toBe(10 + 5);
    expect(positionsBetween(to, from)).toBe(0);
  });

  it('gives the rate and the time left, none before the first record', () => {
    expect(rateAndEta(0, 100, 1_000)).toEqual({ recordsPerSecond: 0, etaSeconds: null });
    expect(rateAndEta(500, 2_000, 1_000)).toEqual({ recordsPerSecond: 500, etaSeconds: 3 });
    expect(rateAndEta(2_000, 2_000, 4_000)).toEqual({ recordsPerSecond: 500, etaSeconds: 0 });
  });
});
