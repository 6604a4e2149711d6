import { describe, expect, test } from 'vitest';
import { seededRandom } from './seeded-random.ts';

describe('seededRandom', () => {
  test('the same seed gives the same sequence; another seed another one', () => {
    const take = (seed: number) => Array.from({ length: 5 }, seededRandom(seed));
    expect(take(42)).toEqual(take(42));
    expect(take(42)).not.toEqual(take(43));
  });

  test('draws uniform floats in [0, 1)', () => {
    const rand = seededRandom(7);
    const draws = Array.from({ length: 10_000 }, rand);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...draws)).toBeLessThan(1);
    const mean = draws.reduce((a, b) => a + b, 0) / draws.length;
    expect(mean).toBeGreaterThan(0.48);
    expect(mean).toBeLessThan(0.52);
  });
});
