import { expect, test } from 'vitest';
import { mean, percentile, summarize } from './stats.ts';

test('mean and nearest-rank percentiles; NaN for no samples', () => {
  expect(mean([1, 2, 6])).toBe(3);
  expect(mean([])).toBeNaN();
  expect(percentile([5, 1, 4, 2, 3], 0.5)).toBe(3);
  expect(percentile([5, 1, 4, 2, 3], 0.99)).toBe(5);
  expect(summarize([1, 2, 6])).toEqual({ n: 3, p50: 2, p99: 6, max: 6, mean: 3 });
  expect(summarize([]).mean).toBeNaN();
});
