import { describe, expect, it } from 'vitest';
import { splitBuckets } from './window-split.ts';

const MIN = 60_000;
const T = Date.UTC(2026, 0, 1, 10, 0, 0, 0);

describe('splitBuckets', () => {
  it('cuts a window with partial head and tail', () => {
    expect(splitBuckets(T + 500, T + 3 * MIN + 1, MIN)).toEqual({
      head: [T + 500, T + MIN],
      full: [T + MIN, T + 3 * MIN],
      tail: [T + 3 * MIN, T + 3 * MIN + 1],
    });
  });

  it('has empty head and tail when both ends are aligned', () => {
    expect(splitBuckets(T, T + 2 * MIN, MIN)).toEqual({
      head: [T, T],
      full: [T, T + 2 * MIN],
      tail: [T + 2 * MIN, T + 2 * MIN],
    });
  });

  it('puts a window inside one bucket entirely in the head', () => {
    expect(splitBuckets(T + 1, T + MIN - 1, MIN)).toEqual({
      head: [T + 1, T + MIN - 1],
      full: [T + MIN - 1, T + MIN - 1],
      tail: [T + MIN - 1, T + MIN - 1],
    });
  });

  it('handles adjacent partial buckets without whole ones', () => {
    expect(splitBuckets(T + MIN - 1, T + MIN + 1, MIN)).toEqual({
      head: [T + MIN - 1, T + MIN],
      full: [T + MIN, T + MIN],
      tail: [T + MIN, T + MIN + 1],
    });
  });

  it('returns only empty ranges for empty or inverted windows', () => {
    for (const [s, e] of [
      [T, T],
      [T + 5, T],
    ] as const) {
      const split = splitBuckets(s, e, MIN);
      for (const [from, to] of [split.head, split.full, split.tail]) expect(to - from).toBe(0);
    }
  });

  it('covers [start, end) exactly, disjoint and in order, for many windows', () => {
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed % n;
    };
    for (let i = 0; i < 2_000; i++) {
      const start = T + rand(5 * MIN) - 2 * MIN;
      const end = start + rand(4 * MIN);
      const { head, full, tail } = splitBuckets(start, end, MIN);
      expect(head[0]).toBe(start);
      expect(head[1]).toBe(full[0]);
      expect(full[1]).toBe(tail[0]);
      expect(end > start ? tail[1] : start).toBe(end > start ? end : start);
      expect(full[0] % MIN === 0 || full[0] === full[1]).toBe(true);
      expect(full[1] % MIN === 0 || full[0] === full[1]).toBe(true);
      expect(head[1] - head[0]).toBeLessThan(MIN + (end - start > 0 ? 0 : 1));
    }
  });

  it('rejects non-integers and bad buckets', () => {
    expect(() => splitBuckets(0.5, 1, MIN)).toThrow(RangeError);
    expect(() => splitBuckets(0, 1, 0)).toThrow(RangeError);
  });
});
