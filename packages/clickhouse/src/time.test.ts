import { describe, expect, test } from 'vitest';
import { epochMsSchema, toDateTime64 } from './time.ts';

describe('toDateTime64', () => {
  test.each([
    [Date.UTC(2026, 2, 1, 10, 0, 0, 5), '1772359200.005'],
    [1_000, '1970-01-01 00:00:01.000'],
    [0, '1970-01-01 00:00:00.000'],
    [Date.UTC(1900, 0, 1), '1900-01-01 00:00:00.000'],
    [Date.UTC(1969, 11, 31, 23, 59, 59, 999), '1969-12-31 23:59:59.999'],
    [Date.UTC(2001, 8, 9, 1, 46, 40), '1000000000.000'],
  ])('%i → %s', (ms, text) => {
    expect(toDateTime64(ms)).toBe(text);
  });

  test('rows outside 1900..2299 are refused before they reach ClickHouse', () => {
    expect(epochMsSchema.safeParse(Date.UTC(1899, 11, 31)).success).toBe(false);
    expect(epochMsSchema.safeParse(Date.UTC(1900, 0, 1)).success).toBe(true);
  });
});
