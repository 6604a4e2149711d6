import { describe, expect, test } from 'vitest';
import { insertChunks, SENSOR_ROWS_PER_INSERT } from './insert-chunks.ts';

const rows = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('insertChunks', () => {
  test('a group that fits one statement keeps its token unchanged (groups recorded before chunking)', () => {
    expect(insertChunks(rows(3), 'g1|t:0:0-2:sreadings', 3)).toEqual([
      { rows: [0, 1, 2], dedupToken: 'g1|t:0:0-2:sreadings' },
    ]);
    expect(insertChunks(rows(SENSOR_ROWS_PER_INSERT), 'T')).toHaveLength(1);
  });

  test('a larger group: chunks of at most `size` rows, in order, token + chunk index', () => {
    const chunks = insertChunks(rows(7), 'T', 3);
    expect(chunks).toEqual([
      { rows: [0, 1, 2], dedupToken: 'T:c0' },
      { rows: [3, 4, 5], dedupToken: 'T:c1' },
      { rows: [6], dedupToken: 'T:c2' },
    ]);
    expect(insertChunks(rows(SENSOR_ROWS_PER_INSERT + 1), 'T').map((c) => c.rows.length)).toEqual([
      SENSOR_ROWS_PER_INSERT,
      1,
    ]);
  });

  test('deterministic: a replay of the same recorded group cuts the same chunks with the same tokens', () => {
    expect(insertChunks(rows(10), 'T', 4)).toEqual(insertChunks(rows(10), 'T', 4));
  });

  test('no rows, no statement; a size below 1 is refused', () => {
    expect(insertChunks([], 'T', 3)).toEqual([]);
    expect(() => insertChunks(rows(2), 'T', 0)).toThrow(RangeError);
  });
});
