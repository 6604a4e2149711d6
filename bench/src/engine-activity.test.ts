import { describe, expect, test } from 'vitest';
import { engineActivity, engineActivitySummary, engineActivityText } from './engine-activity.ts';

describe('engineActivity', () => {
  const before = {
    InsertQuery: 100,
    InsertedRows: 50_000,
    SelectQuery: 40,
    Merge: 10,
    MergedRows: 200_000,
    MergeTotalMilliseconds: 900,
  };
  const after = {
    InsertQuery: 136,
    InsertedRows: 60_000,
    SelectQuery: 51,
    Merge: 21,
    MergedRows: 249_100,
    MergeTotalMilliseconds: 1_420,
  };

  test('gives statements and merges per 1000 items and rows merged per row inserted over the interval', () => {
    expect(engineActivity(before, after, 10_000)).toEqual({
      insertsPer1000: 3.6,
      selectsPer1000: 1.1,
      mergesPer1000: 1.1,
      mergeMsPer1000: 52,
      mergedRowsPerInsertedRow: 4.91,
    });
  });

  test('counts a counter the engine has not reported yet as 0', () => {
    expect(engineActivity({}, { InsertQuery: 5, InsertedRows: 10 }, 1000)).toEqual({
      insertsPer1000: 5,
      selectsPer1000: 0,
      mergesPer1000: 0,
      mergeMsPer1000: 0,
      mergedRowsPerInsertedRow: 0,
    });
  });

  test('is undefined without both readings or without items', () => {
    expect(engineActivity(undefined, after, 10)).toBeUndefined();
    expect(engineActivity(before, undefined, 10)).toBeUndefined();
    expect(engineActivity(before, after, 0)).toBeUndefined();
  });

  test('prints a row fragment, or nothing without figures', () => {
    expect(engineActivityText(engineActivity(before, after, 10_000), 'readings')).toBe(
      'engine per 1000 readings: 3.6 inserts, 1.1 selects, 1.1 merges of 52 ms (4.91 rows merged per row inserted); ',
    );
    expect(engineActivityText(undefined, 'events')).toBe('');
    expect(engineActivitySummary(engineActivity(before, after, 10_000), 'events')).toBe(
      'engine per 1000 events: 3.6 inserts, 1.1 selects, 1.1 merges of 52 ms (4.91 rows merged per row inserted)',
    );
    expect(engineActivitySummary(undefined, 'events')).toBe('');
  });
});
