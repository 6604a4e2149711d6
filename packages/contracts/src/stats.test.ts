import { describe, expect, expectTypeOf, test } from 'vitest';
import type { z } from 'zod';
import {
  avgDefectRate,
  defectContribution,
  defectsPercent,
  type MachineStatsResponse,
  machineHealth,
  machineStats,
  machineStatsResponseSchema,
  sortTopDefectLines,
  type TopDefectLine,
  topDefectLine,
  type topDefectLineSchema,
} from './stats.ts';

const H = 3_600_000;
const T = Date.UTC(2026, 0, 1, 10);

describe('machineHealth', () => {
  test.each([
    [0, 'Healthy'],
    [1.5, 'Healthy'],
    [1.999999, 'Healthy'],
    [2.0, 'Warning'],
    [2.000001, 'Warning'],
    [100, 'Warning'],
    [Number.NaN, 'Warning'],
  ])('%d → %s', (rate, status) => {
    expect(machineHealth(rate)).toBe(status);
  });
});

describe('avgDefectRate', () => {
  test.each([
    [0, T, T + H, 0],
    [3, T, T + 2 * H, 1.5],
    [2, T, T + H, 2],
    [1, T, T + 30 * 60_000, 2],
    [5, T, T + 24 * H, 5 / 24],
    [7, T, T, 0], // zero-length window
    [7, T + H, T, 0], // inverted window
  ])('%i defects in [%i, %i) → %d per hour', (defects, s, e, rate) => {
    expect(avgDefectRate(defects, s, e)).toBe(rate);
  });
});

describe('defectContribution', () => {
  test.each([
    [-1, 0],
    [0, 0],
    [1, 1],
    [42, 42],
  ])('defectCount %i adds %i defects', (count, contribution) => {
    expect(defectContribution(count)).toBe(contribution);
  });
});

describe('defectsPercent', () => {
  test.each<[number | bigint, number | bigint, number]>([
    [1, 3, 33.33],
    [2, 3, 66.67],
    [1, 8, 12.5],
    [0, 0, 0],
    [5, 0, 0],
    [0, 10, 0],
    [10, 10, 100],
    [25, 10, 250],
    [1, 6, 16.67],
    [1, 7, 14.29],
    [1, 200, 0.5],
    [1, 400, 0.25],
    [1, 20_000, 0.01], // 0.005 rounds half up
    [1, 20_001, 0], // 0.004999… rounds down
    [1, 30_000, 0],
    [7, 16, 43.75],
    [1, 16, 6.25],
    [3, 16, 18.75],
    [1, 32, 3.13], // 3.125 rounds half up (float arithmetic gives 3.12)
    [3, 32, 9.38], // 9.375
    [1, 128, 0.78], // 0.78125
    [29, 40, 72.5], // 72.5 exactly
    [1_005, 1_000, 100.5],
    [10n ** 20n, 3n * 10n ** 18n, 3333.33],
    [2n ** 60n, 2n ** 60n, 100],
  ])('%d × 100 / %d → %d', (d, n, p) => {
    expect(defectsPercent(d, n)).toBe(p);
  });

  test('is exact for every ratio of small integers (compared with decimal string arithmetic)', () => {
    for (let n = 1; n <= 120; n++) {
      for (let d = 0; d <= 2 * n; d++) {
        // round-half-up of d*100/n in hundredths, by integer arithmetic
        const hundredths = Math.floor((d * 20_000 + n) / (2 * n));
        const expected = Number(
          `${Math.floor(hundredths / 100)}.${String(hundredths % 100).padStart(2, '0')}`,
        );
        expect(defectsPercent(d, n)).toBe(expected);
      }
    }
  });

  test.each<[number | bigint, number | bigint]>([
    [-1, 3],
    [1, -3],
    [1.5, 3],
    [1, Number.NaN],
    [-1n, 3n],
  ])('rejects %d, %d', (d, n) => {
    expect(() => defectsPercent(d, n)).toThrow(RangeError);
  });
});

describe('machineStats', () => {
  test('an empty window is Healthy with zeros', () => {
    const r = machineStats({
      machineId: 'M-1',
      start: '2026-01-01T10:00:00.000Z',
      end: '2026-01-01T10:00:00.000Z',
      startMs: T,
      endMs: T,
      eventsCount: 0,
      defectsCount: 0,
    });
    expect(r).toEqual({
      machineId: 'M-1',
      start: '2026-01-01T10:00:00.000Z',
      end: '2026-01-01T10:00:00.000Z',
      eventsCount: 0,
      defectsCount: 0,
      avgDefectRate: 0,
      status: 'Healthy',
    });
    expect(machineStatsResponseSchema.parse(r)).toEqual(r);
  });

  test.each([
    [3, 2 * H, 1.5, 'Healthy'],
    [4, 2 * H, 2, 'Warning'],
    [0, 0, 0, 'Healthy'],
  ])('%i defects over %i ms → %d, %s', (defects, length, rate, status) => {
    const r = machineStats({
      machineId: 'M-1',
      start: 's',
      end: 'e',
      startMs: T,
      endMs: T + length,
      eventsCount: 10,
      defectsCount: defects,
    });
    expect(r.avgDefectRate).toBe(rate);
    expect(r.status).toBe(status);
  });

  test('schema types agree with the response type', () => {
    expectTypeOf<z.output<typeof machineStatsResponseSchema>>().toEqualTypeOf<MachineStatsResponse>();
    expectTypeOf<z.output<typeof topDefectLineSchema>>().toEqualTypeOf<TopDefectLine>();
  });
});

describe('top defect lines', () => {
  test('topDefectLine computes the percentage', () => {
    expect(topDefectLine('L-1', 1, 3)).toEqual({
      lineId: 'L-1',
      totalDefects: 1,
      eventCount: 3,
      defectsPercent: 33.33,
    });
    expect(topDefectLine('L-0', 0, 0)).toEqual({
      lineId: 'L-0',
      totalDefects: 0,
      eventCount: 0,
      defectsPercent: 0,
    });
  });

  test('most defects first, ties by lineId ascending in code-unit order', () => {
    const lines = [
      topDefectLine('b', 5, 10),
      topDefectLine('a', 5, 20),
      topDefectLine('z', 9, 9),
      topDefectLine('L-10', 1, 1),
      topDefectLine('L-9', 1, 1),
      topDefectLine('B', 5, 1),
      topDefectLine('é', 0, 1),
      topDefectLine('e', 0, 1),
    ];
    const before = [...lines];
    expect(sortTopDefectLines(lines).map((l) => l.lineId)).toEqual([
      'z',
      'B',
      'a',
      'b',
      'L-10',
      'L-9',
      'e',
      'é',
    ]);
    expect(lines).toEqual(before); // not mutated
  });

  test('sorting is independent of input order', () => {
    const lines = [topDefectLine('x', 2, 2), topDefectLine('y', 2, 2), topDefectLine('w', 3, 3)];
    const expected = ['w', 'x', 'y'];
    expect(sortTopDefectLines(lines).map((l) => l.lineId)).toEqual(expected);
    expect(sortTopDefectLines([...lines].reverse()).map((l) => l.lineId)).toEqual(expected);
  });
});
