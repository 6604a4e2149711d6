/**
 * The last `capacity` values of one series with their mean and population standard deviation, O(1)
 * per value. Stability: the sums are of `value - shift` (a shift near the mean avoids the
 * cancellation of the textbook `E[x²] - E[x]²` on large offsets, e.g. 1e9 ± 1) and are Neumaier-
 * compensated, so removals do not leave drift behind; every `capacity` evictions the shift is moved
 * to the current mean and the sums are recomputed exactly from the values (amortised O(1)).
 * Everything is plain numbers, so a snapshot restores the exact same doubles: a restored window
 * decides exactly like the one that was never lost.
 */
export type WindowSnapshot = {
  /** The values in the window, oldest first. */
  values: number[];
  shift: number;
  sum: number;
  sumCompensation: number;
  sumSquares: number;
  sumSquaresCompensation: number;
  /** Evictions since the sums were last recomputed. */
  evictions: number;
};

export type WindowStats = { count: number; mean: number; stddev: number };

export class RollingWindow {
  private readonly ring: number[];
  private head = 0; // index of the oldest value
  private size = 0;
  private shift = 0;
  private sum = new CompensatedSum();
  private sumSquares = new CompensatedSum();
  private evictions = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    this.ring = new Array<number>(capacity);
  }

  static fromSnapshot(capacity: number, s: WindowSnapshot): RollingWindow {
    const w = new RollingWindow(capacity);
    // A snapshot taken under a larger capacity keeps its newest values.
    const values = s.values.slice(Math.max(0, s.values.length - capacity));
    values.forEach((v, i) => {
      w.ring[i] = v;
    });
    w.size = values.length;
    if (values.length === s.values.length) {
      w.shift = s.shift;
      w.sum = new CompensatedSum(s.sum, s.sumCompensation);
      w.sumSquares = new CompensatedSum(s.sumSquares, s.sumSquaresCompensation);
      w.evictions = s.evictions;
    } else {
      w.recompute();
    }
    return w;
  }

  get count(): number {
    return this.size;
  }

  stats(): WindowStats {
    const n = this.size;
    if (n === 0) return { count: 0, mean: Number.NaN, stddev: Number.NaN };
    const s1 = this.sum.value;
    const variance = Math.max(0, (this.sumSquares.value - (s1 * s1) / n) / n);
    return { count: n, mean: this.shift + s1 / n, stddev: Math.sqrt(variance) };
  }

  /** Adds `value` as the newest; past capacity the oldest leaves. */
  push(value: number): void {
    if (this.size === 0) this.shift = value;
    if (this.size === this.capacity) {
      this.remove(this.ring[this.head] as number);
      this.ring[this.head] = value;
      this.head = (this.head + 1) % this.capacity;
      this.evictions++;
    } else {
      this.ring[(this.head + this.size) % this.capacity] = value;
      this.size++;
    }
    const d = value - this.shift;
    this.sum.add(d);
    this.sumSquares.add(d * d);
    if (this.evictions >= this.capacity) this.recompute();
  }

  values(): number[] {
    const out: number[] = [];
    for (let i = 0; i < this.size; i++) out.push(this.ring[(this.head + i) % this.capacity] as number);
    return out;
  }

  snapshot(): WindowSnapshot {
    return {
      values: this.values(),
      shift: this.shift,
      sum: this.sum.sum,
      sumCompensation: this.sum.compensation,
      sumSquares: this.sumSquares.sum,
      sumSquaresCompensation: this.sumSquares.compensation,
      evictions: this.evictions,
    };
  }

  private remove(value: number): void {
    const d = value - this.shift;
    this.sum.add(-d);
    this.sumSquares.add(-(d * d));
  }

  /** Re-centres the shift on the current mean and recomputes both sums from the values. */
  private recompute(): void {
    const values = this.values();
    const mean = new CompensatedSum();
    for (const v of values) mean.add(v);
    this.shift = values.length === 0 ? 0 : mean.value / values.length;
    this.sum = new CompensatedSum();
    this.sumSquares = new CompensatedSum();
    for (const v of values) {
      const d = v - this.shift;
      this.sum.add(d);
      this.sumSquares.add(d * d);
    }
    this.evictions = 0;
  }
}

/** Neumaier's compensated summation: the rounding error of each addition is carried separately. */
class CompensatedSum {
  constructor(
    public sum = 0,
    public compensation = 0,
  ) {}

  add(x: number): void {
    const t = this.sum + x;
    this.compensation += Math.abs(this.sum) >= Math.abs(x) ? this.sum - t + x : x - t + this.sum;
    this.sum = t;
  }

  get value(): number {
    return this.sum + this.compensation;
  }
}
