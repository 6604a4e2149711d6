import { describe, expect, it } from 'vitest';
import { diffMaps, type RowRange, withinRows } from './diff.ts';

type Rows = { rows: number | RowRange };
type Resolution = Rows & { note: string | null; resolvedBy: string | null };

describe('withinRows: a bounded row count and exact fields', () => {
  const want: Resolution = { rows: { min: 1, max: 3 }, note: 'n', resolvedBy: 'anonymous' };

  it('accepts any count within the range (bounds included) with the same fields, in any key order', () => {
    for (const rows of [1, 2, 3])
      expect(withinRows<Resolution>(want, { resolvedBy: 'anonymous', note: 'n', rows })).toBe(true);
  });

  it('refuses a count outside the range, or another field', () => {
    expect(withinRows(want, { ...want, rows: 0 })).toBe(false);
    expect(withinRows(want, { ...want, rows: 4 })).toBe(false);
    expect(withinRows(want, { ...want, rows: 1, note: 'other' })).toBe(false);
    expect(withinRows(want, { ...want, rows: 1, resolvedBy: null })).toBe(false);
  });

  it('compares an exact count exactly, and never takes a range for an actual count', () => {
    expect(withinRows({ rows: 2, reasons: 'X' }, { rows: 2, reasons: 'X' })).toBe(true);
    expect(withinRows({ rows: 2, reasons: 'X' }, { rows: 1, reasons: 'X' })).toBe(false);
    expect(withinRows(want, want)).toBe(false);
  });

  it('reports through diffMaps: missing, extra and out-of-range keys', () => {
    const d = diffMaps(
      'rows',
      new Map<string, Rows>([
        ['a', { rows: { min: 1, max: 2 } }],
        ['b', { rows: { min: 1, max: 1 } }],
        ['c', { rows: { min: 1, max: 2 } }],
      ]),
      new Map<string, Rows>([
        ['a', { rows: 2 }],
        ['b', { rows: 2 }],
        ['d', { rows: 1 }],
      ]),
      withinRows,
    );
    expect(d).toMatchObject({ missing: 1, extra: 1, mismatched: 1, differences: 3 });
    expect(d.samples).toContain('b: expected {"rows":{"min":1,"max":1}}, got {"rows":2}');
  });
});
