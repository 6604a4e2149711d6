import { describe, expect, it } from 'vitest';
import { RollingWindow } from './rolling-window.ts';

function windowOf(capacity: number, values: number[]): RollingWindow {
  const w = new RollingWindow(capacity);
  for (const v of values) w.push(v);
  return w;
}

function twoPass(values: number[]): { mean: number; stddev: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length;
  return { mean, stddev: Math.sqrt(variance) };
}

describe('RollingWindow', () => {
  it('gives the mean and population stddev of a known set', () => {
    const s = windowOf(10, [2, 4, 4, 4, 5, 5, 7, 9]).stats();
    expect(s).toEqual({ count: 8, mean: 5, stddev: 2 });
  });

  it('is empty before the first value', () => {
    const s = new RollingWindow(3).stats();
    expect(s.count).toBe(0);
    expect(s.mean).toBeNaN();
  });

  it('evicts the oldest value past capacity', () => {
    const w = windowOf(3, [100, 1, 2, 3]);
    expect(w.values()).toEqual([1, 2, 3]);
    expect(w.stats()).toEqual({ count: 3, mean: 2, stddev: Math.sqrt(2 / 3) });
    w.push(4);
    expect(w.values()).toEqual([2, 3, 4]);
    expect(w.stats().mean).toBe(3);
  });

  it('keeps the exact stats of the window through many evictions and re-centrings', () => {
    const w = new RollingWindow(50);
    const all: number[] = [];
    for (let i = 0; i < 10_000; i++) {
      const v = 20 + Math.sin(i) * 3 + (i % 7) * 0.125;
      all.push(v);
      w.push(v);
    }
    const expected = twoPass(all.slice(-50));
    const s = w.stats();
    expect(s.count).toBe(50);
    expect(s.mean).toBeCloseTo(expected.mean, 12);
    expect(s.stddev).toBeCloseTo(expected.stddev, 12);
  });

  it('is stable on a large offset with a small spread (no E[x²] - E[x]² cancellation)', () => {
    const w = new RollingWindow(100);
    const all: number[] = [];
    for (let i = 0; i < 1_000; i++) {
      const v = 1e9 + (i % 2 === 0 ? 1 : -1) + i * 1e-3;
      all.push(v);
      w.push(v);
    }
    const expected = twoPass(all.slice(-100));
    expect(Math.abs(w.stats().stddev - expected.stddev) / expected.stddev).toBeLessThan(1e-6);
    expect(w.stats().mean).toBeCloseTo(expected.mean, 6);
  });

  it('restores the exact same doubles from a snapshot', () => {
    const w = new RollingWindow(20);
    for (let i = 0; i < 77; i++) w.push(Math.cos(i) * 10 + 0.1 * i);
    const restored = RollingWindow.fromSnapshot(20, JSON.parse(JSON.stringify(w.snapshot())));
    expect(restored.stats()).toEqual(w.stats());
    for (let i = 0; i < 50; i++) {
      w.push(i * 0.3);
      restored.push(i * 0.3);
      expect(restored.stats()).toEqual(w.stats());
    }
  });

  it('keeps the newest values of a snapshot taken under a larger capacity', () => {
    const big = windowOf(5, [1, 2, 3, 4, 5]);
    const small = RollingWindow.fromSnapshot(3, big.snapshot());
    expect(small.values()).toEqual([3, 4, 5]);
    expect(small.stats().mean).toBe(4);
  });

  it('rejects a capacity that is not a positive integer', () => {
    expect(() => new RollingWindow(0)).toThrow(RangeError);
    expect(() => new RollingWindow(1.5)).toThrow(RangeError);
  });
});
