import { describe, expect, test } from 'vitest';
import {
  ceilTo,
  floorTo,
  inWindow,
  MS_PER_HOUR,
  parseInstant,
  type Range,
  splitWindow,
  type WindowSplit,
  windowHours,
} from './window.ts';

const H = MS_PER_HOUR;
const T = Date.UTC(2026, 0, 1, 10); // aligned to the hour

describe('parseInstant (query parameters)', () => {
  test.each([
    ['2026-01-01T10:00:00Z', T],
    ['2026-01-01T10:00:00.000Z', T],
    ['2026-01-01T10:00:00.5Z', T + 500],
    ['2026-01-01T11:00:00+01:00', T],
    ['2026-01-01T11:00:00+0100', T],
    ['1969-12-31T23:00:00Z', -H],
  ])('%s → %i', (s, ms) => {
    expect(parseInstant(s)).toBe(ms);
  });

  test.each([
    ['2026-01-01T10:00:00'],
    ['2026-01-01'],
    ['2026-02-30T10:00:00Z'],
    [''],
    ['1767261600000'],
    ['now'],
  ])('rejects %j (zone-less included) with null', (s) => {
    expect(parseInstant(s)).toBeNull();
  });
});

describe('inWindow is [start, end)', () => {
  const w = { startMs: T, endMs: T + H };
  test.each([
    [T - 1, false],
    [T, true],
    [T + 1, true],
    [T + H - 1, true],
    [T + H, false],
  ])('%i → %s', (t, inside) => {
    expect(inWindow(t, w)).toBe(inside);
  });

  test('an empty window holds nothing', () => {
    expect(inWindow(T, { startMs: T, endMs: T })).toBe(false);
  });
});

describe('floorTo / ceilTo', () => {
  test.each([
    [0, 10, 0, 0],
    [1, 10, 0, 10],
    [9, 10, 0, 10],
    [10, 10, 10, 10],
    [-1, 10, -10, 0],
    [-10, 10, -10, -10],
    [-11, 10, -20, -10],
    [T + 1, H, T, T + H],
  ])('%i by %i → floor %i, ceil %i', (t, b, f, c) => {
    expect(floorTo(t, b)).toBe(f);
    expect(ceilTo(t, b)).toBe(c);
  });

  test.each([[0], [-5], [1.5], [Number.NaN]])('bucket %d is rejected', (b) => {
    expect(() => floorTo(0, b)).toThrow(RangeError);
  });

  test('a fractional instant is rejected', () => {
    expect(() => floorTo(1.5, 10)).toThrow(RangeError);
  });
});

const split = (head: Range | null, buckets: Range | null, tail: Range | null): WindowSplit => ({
  head,
  buckets,
  tail,
});

describe('splitWindow', () => {
  test.each<[string, number, number, number, WindowSplit]>([
    ['aligned both ends', T, T + 3 * H, H, split(null, [T, T + 3 * H], null)],
    ['one aligned bucket', T, T + H, H, split(null, [T, T + H], null)],
    ['unaligned start', T + 1, T + 3 * H, H, split([T + 1, T + H], [T + H, T + 3 * H], null)],
    ['unaligned end', T, T + 2 * H + 5, H, split(null, [T, T + 2 * H], [T + 2 * H, T + 2 * H + 5])],
    [
      'unaligned both',
      T + 1,
      T + 3 * H - 1,
      H,
      split([T + 1, T + H], [T + H, T + 2 * H], [T + 2 * H, T + 3 * H - 1]),
    ],
    ['adjacent buckets, no whole one', T + 1, T + H + 1, H, split([T + 1, T + H], null, [T + H, T + H + 1])],
    ['unaligned start, end on the next boundary', T + 1, T + H, H, split([T + 1, T + H], null, null)],
    ['start 1 ms before a boundary', T - 1, T + 1, H, split([T - 1, T], null, [T, T + 1])],
    ['same bucket, unaligned', T + 1, T + 2, H, split([T + 1, T + 2], null, null)],
    ['same bucket, aligned start', T, T + 5, H, split([T, T + 5], null, null)],
    ['1 ms window', T + 7, T + 8, H, split([T + 7, T + 8], null, null)],
    ['zero-length', T, T, H, split(null, null, null)],
    ['zero-length, unaligned', T + 3, T + 3, H, split(null, null, null)],
    ['inverted', T + H, T, H, split(null, null, null)],
    ['negative, aligned', -3 * H, -H, H, split(null, [-3 * H, -H], null)],
    ['negative, unaligned', -3 * H + 1, -1, H, split([-3 * H + 1, -2 * H], [-2 * H, -H], [-H, -1])],
    ['negative, no whole bucket', -3 * H + 1, -H - 1, H, split([-3 * H + 1, -2 * H], null, [-2 * H, -H - 1])],
    ['negative, same bucket', -H + 1, -1, H, split([-H + 1, -1], null, null)],
    ['straddling the epoch', -5, 5, 10, split([-5, 0], null, [0, 5])],
    ['straddling the epoch with whole buckets', -15, 25, 10, split([-15, -10], [-10, 20], [20, 25])],
    ['bucket of 1 ms', 3, 7, 1, split(null, [3, 7], null)],
    [
      'day buckets',
      T,
      T + 30 * 24 * H + 1,
      24 * H,
      split(
        [T, Date.UTC(2026, 0, 2)],
        [Date.UTC(2026, 0, 2), Date.UTC(2026, 0, 31)],
        [Date.UTC(2026, 0, 31), T + 30 * 24 * H + 1],
      ),
    ],
  ])('%s', (_name, start, end, bucket, expected) => {
    expect(splitWindow(start, end, bucket)).toEqual(expected);
  });

  test('the parts cover [start, end) exactly, in order, with aligned inner edges (exhaustive small grid)', () => {
    const b = 10;
    for (let start = -35; start <= 35; start++) {
      for (let end = start; end <= 40; end++) {
        const { head, buckets, tail } = splitWindow(start, end, b);
        const parts = [head, buckets, tail].filter((p): p is Range => p !== null);
        if (end === start) {
          expect(parts).toEqual([]);
          continue;
        }
        expect(parts[0]![0]).toBe(start);
        expect(parts.at(-1)![1]).toBe(end);
        for (const [from, to] of parts) expect(from).toBeLessThan(to);
        for (let i = 1; i < parts.length; i++) expect(parts[i]![0]).toBe(parts[i - 1]![1]);
        if (buckets !== null) {
          expect(floorTo(buckets[0], b)).toBe(buckets[0]);
          expect(floorTo(buckets[1], b)).toBe(buckets[1]);
        }
        if (head !== null && (buckets !== null || tail !== null)) expect(floorTo(head[1], b)).toBe(head[1]);
        if (tail !== null) {
          expect(floorTo(tail[0], b)).toBe(tail[0]);
          expect(tail[1] - tail[0]).toBeLessThan(b);
        }
        if (head !== null) expect(head[1] - head[0]).toBeLessThan(b);
      }
    }
  });

  test.each<[number, number, number]>([
    [0.5, 10, 10],
    [0, 10.5, 10],
    [0, 10, 0],
    [0, 10, -10],
  ])('rejects non-integer input or a non-positive bucket (%d, %d, %d)', (s, e, b) => {
    expect(() => splitWindow(s, e, b)).toThrow(RangeError);
  });
});

describe('windowHours', () => {
  test.each([
    [T, T + H, 1],
    [T, T + 90 * 60_000, 1.5],
    [T, T, 0],
    [T, T + 1, 1 / H],
    [-H, H, 2],
  ])('[%i, %i) is %d h', (s, e, h) => {
    expect(windowHours(s, e)).toBe(h);
  });
});
