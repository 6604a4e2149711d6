import { describe, expect, it } from 'vitest';
import { RollingWindow, SLOTS_PER_RECORD, WindowAssembly, type WindowSlots } from './rolling-window.ts';

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

  it('drains only the runs a push changed, each with the current header, then nothing', () => {
    const w = new RollingWindow(25);
    for (let i = 0; i < 12; i++) w.push(i);
    const first = w.drainSlots();
    expect(first.map((r) => [r.first, r.values])).toEqual([
      [0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]],
      [10, [10, 11]],
    ]);
    expect(first.every((r) => r.pushes === 12 && r.size === 12 && r.head === 0 && r.capacity === 25)).toBe(
      true,
    );
    expect(w.drainSlots()).toEqual([]);
    // Full (25) and wrapping: pushes 26 and 27 overwrite positions 0 and 1, the last run is 5 long.
    for (let i = 12; i < 27; i++) w.push(i);
    expect(w.drainSlots().map((r) => [r.first, r.values.length, r.head])).toEqual([
      [0, 10, 2],
      [10, 10, 2],
      [20, 5, 2],
    ]);
    w.push(27);
    expect(w.drainSlots().map((r) => [r.first, r.values])).toEqual([[0, [25, 26, 27, 3, 4, 5, 6, 7, 8, 9]]]);
  });

  it('is put back together exactly from its runs, compacted or not, at every point of its life', () => {
    const w = new RollingWindow(37);
    const log: WindowSlots[] = [];
    const compacted = new Map<number, WindowSlots>();
    for (let i = 0; i < 400; i++) {
      w.push(1e6 + Math.sin(i * 0.7) * 5 + (i % 11) * 0.01);
      // Drains at irregular intervals, like transactions of varying size.
      if (i % 3 === 0 || i % 7 === 0) {
        for (const r of w.drainSlots()) {
          log.push(r);
          compacted.set(r.first, r);
        }
        for (const records of [log, [...compacted.values()], [...log].reverse()]) {
          const a = new WindowAssembly();
          for (const r of JSON.parse(JSON.stringify(records)) as WindowSlots[]) a.add(r);
          const built = a.build(37);
          expect(built.ok).toBe(true);
          if (!built.ok) return;
          expect(built.window.snapshot()).toEqual(w.snapshot());
        }
      }
    }
    // And decides on from there exactly as the live window does.
    const a = new WindowAssembly();
    for (const r of compacted.values()) a.add(r);
    const built = a.build(37);
    if (!built.ok) throw new Error(built.reason);
    for (let i = 0; i < 100; i++) {
      w.push(i * 0.5);
      built.window.push(i * 0.5);
      expect(built.window.stats()).toEqual(w.stats());
    }
  });

  it('re-lays a window out under another capacity, and its records then win over the old layout', () => {
    const w = new RollingWindow(30);
    const records = new Map<string, WindowSlots>();
    const keep = (rs: WindowSlots[]) => {
      for (const r of rs) records.set(String(r.first), r);
    };
    for (let i = 0; i < 45; i++) w.push(i);
    keep(w.drainSlots());
    const a = new WindowAssembly();
    for (const r of records.values()) a.add(r);
    const built = a.build(20);
    if (!built.ok) throw new Error(built.reason);
    expect(built.window.values()).toEqual(Array.from({ length: 20 }, (_, i) => 25 + i));
    built.window.push(45);
    const relaid = built.window.drainSlots();
    expect(relaid.map((r) => r.first)).toEqual([0, 10]);
    expect(relaid.every((r) => r.pushes > 45 && r.capacity === 20)).toBe(true);
    keep(relaid);
    const again = new WindowAssembly();
    for (const r of records.values()) again.add(r);
    const rebuilt = again.build(20);
    if (!rebuilt.ok) throw new Error(rebuilt.reason);
    expect(rebuilt.window.snapshot()).toEqual(built.window.snapshot());
  });

  it('says why runs cannot give a window (a position no record holds, a header out of range)', () => {
    const w = new RollingWindow(30);
    for (let i = 0; i < 30; i++) w.push(i);
    const runs = w.drainSlots();
    const missing = new WindowAssembly();
    for (const r of runs.filter((r) => r.first !== 10)) missing.add(r);
    expect(missing.build(30)).toEqual({ ok: false, reason: 'ring position 10 missing', pushes: 30 });
    const bad = new WindowAssembly();
    bad.add({ ...(runs[0] as WindowSlots), head: 40 });
    expect(bad.build(30)).toMatchObject({
      ok: false,
      reason: 'inconsistent header (capacity 30, head 40, size 30)',
    });
    expect(new WindowAssembly().build(30)).toMatchObject({ ok: false, reason: 'no window records' });
  });

  it('writes a run per SLOTS_PER_RECORD positions', () => {
    expect(SLOTS_PER_RECORD).toBe(10);
    const w = new RollingWindow(100);
    for (let i = 0; i < 100; i++) w.push(i);
    expect(w.drainSlots()).toHaveLength(10);
  });
});
