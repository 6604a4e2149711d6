/**
 * The last `capacity` values of one series with their mean and population standard deviation, O(1)
 * per value. Stability: the sums are of `value - shift` (a shift near the mean avoids the
 * cancellation of the textbook `E[x²] - E[x]²` on large offsets, e.g. 1e9 ± 1) and are Neumaier-
 * compensated, so removals do not leave drift behind; every `capacity` evictions the shift is moved
 * to the current mean and the sums are recomputed exactly from the values (amortised O(1)).
 * Everything is plain numbers, so a snapshot restores the exact same doubles: a restored window
 * decides exactly like the one that was never lost.
 */
export type WindowSnapshot = WindowSums & {
  /** The values in the window, oldest first. */
  values: number[];
};

/** The running sums of a window, exactly as held (both changelog formats carry them). */
export type WindowSums = {
  shift: number;
  sum: number;
  sumCompensation: number;
  sumSquares: number;
  sumSquaresCompensation: number;
  /** Evictions since the sums were last recomputed. */
  evictions: number;
};

export type WindowStats = { count: number; mean: number; stddev: number };

/**
 * A window's change as its changelog writes it: the values of a run of ring positions (at most
 * `SLOTS_PER_RECORD`, one record per run that changed) and the window's whole header. A value
 * changes one position, so a transaction writes ~0.14 KB per series instead of every value (the
 * whole-window `WindowSnapshot`, ~0.85 KB at 100 values), and the broker stores and compacts that
 * much less. The newest header (largest `pushes`) and, per position, the newest record holding it
 * give back the exact window (`WindowAssembly`).
 */
export type WindowSlots = WindowSums & {
  /** Ring position of `values[0]`. */
  first: number;
  /** The filled positions `first`, `first + 1`, ... (a run not yet full is shorter). */
  values: number[];
  /** The ring's capacity when written (a restore under another capacity re-lays the window out). */
  capacity: number;
  /** Ring position of the oldest value. */
  head: number;
  size: number;
  /** Values ever pushed: orders the records of one series (each transaction's are newer). */
  pushes: number;
};

/** Ring positions per `WindowSlots` record: 10 doubles + the header ≈ 0.14 KB of Avro. */
export const SLOTS_PER_RECORD = 10;

export class RollingWindow {
  private readonly ring: number[];
  private head = 0; // index of the oldest value
  private size = 0;
  private shift = 0;
  private sum = new CompensatedSum();
  private sumSquares = new CompensatedSum();
  private evictions = 0;
  private pushes = 0;
  /** First positions of the runs changed since the last `drainSlots` (every run: `relayout`). */
  private readonly dirtyRuns = new Set<number>();
  private relayout = false;

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
      w.restoreSums(s);
    } else {
      w.recompute();
    }
    return w;
  }

  /**
   * A window rebuilt from a whole-window snapshot writes all its runs at its next drain, so its
   * changelog holds only `WindowSlots` records from then on.
   */
  static fromSnapshotRelaidOut(capacity: number, s: WindowSnapshot, pushes = 0): RollingWindow {
    const w = RollingWindow.fromSnapshot(capacity, s);
    // Above every record already written for the series, so the new layout's records win.
    w.pushes = pushes;
    w.relayout = true;
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
    let position: number;
    if (this.size === this.capacity) {
      position = this.head;
      this.remove(this.ring[this.head] as number);
      this.ring[this.head] = value;
      this.head = (this.head + 1) % this.capacity;
      this.evictions++;
    } else {
      position = (this.head + this.size) % this.capacity;
      this.ring[position] = value;
      this.size++;
    }
    this.pushes++;
    this.dirtyRuns.add(position - (position % SLOTS_PER_RECORD));
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
    return { values: this.values(), ...this.sums() };
  }

  /** The inverse of `sums()`: the very same doubles back. */
  private restoreSums(s: WindowSums): void {
    this.shift = s.shift;
    this.sum = new CompensatedSum(s.sum, s.sumCompensation);
    this.sumSquares = new CompensatedSum(s.sumSquares, s.sumSquaresCompensation);
    this.evictions = s.evictions;
  }

  private sums(): WindowSums {
    return {
      shift: this.shift,
      sum: this.sum.sum,
      sumCompensation: this.sum.compensation,
      sumSquares: this.sumSquares.sum,
      sumSquaresCompensation: this.sumSquares.compensation,
      evictions: this.evictions,
    };
  }

  /**
   * The runs changed since the last call, each with the current header (all runs once after a
   * restore from a whole-window snapshot or under another capacity); none when nothing changed.
   */
  drainSlots(): WindowSlots[] {
    const firsts = this.relayout
      ? Array.from({ length: Math.ceil(this.capacity / SLOTS_PER_RECORD) }, (_, i) => i * SLOTS_PER_RECORD)
      : [...this.dirtyRuns].sort((a, b) => a - b);
    this.relayout = false;
    this.dirtyRuns.clear();
    const out: WindowSlots[] = [];
    for (const first of firsts) {
      // Filled positions: all of them once full; before that [0, size) (head stays 0 until full).
      const end = Math.min(
        first + SLOTS_PER_RECORD,
        this.capacity,
        this.size === this.capacity ? Infinity : this.size,
      );
      if (end <= first) continue;
      out.push({
        first,
        values: this.ring.slice(first, end) as number[],
        capacity: this.capacity,
        head: this.head,
        size: this.size,
        pushes: this.pushes,
        ...this.sums(),
      });
    }
    return out;
  }

  /** An empty window whose records will be numbered after `pushes` (a series that starts over). */
  static startingAfter(capacity: number, pushes: number): RollingWindow {
    const w = new RollingWindow(capacity);
    w.pushes = pushes;
    return w;
  }

  /** The window a `WindowAssembly` put together, laid out as it was written. */
  static fromRing(header: WindowSlots, ring: readonly number[]): RollingWindow {
    const w = new RollingWindow(header.capacity);
    for (let i = 0; i < ring.length; i++) w.ring[i] = ring[i] as number;
    w.head = header.head;
    w.size = header.size;
    w.pushes = header.pushes;
    w.restoreSums(header);
    return w;
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

/**
 * Puts one series' window back together from its `WindowSlots` records, in any order (a compacted
 * changelog keeps the newest record per run, an uncompacted one all of them; both give the same
 * window): the header of the record with the most pushes, and each position's value from the newest
 * record holding it.
 */
export class WindowAssembly {
  private header: WindowSlots | undefined;
  private readonly positions = new Map<number, { value: number; pushes: number }>();

  add(slots: WindowSlots): void {
    if (this.header === undefined || slots.pushes > this.header.pushes) this.header = slots;
    slots.values.forEach((value, i) => {
      const at = this.positions.get(slots.first + i);
      if (at === undefined || slots.pushes >= at.pushes)
        this.positions.set(slots.first + i, { value, pushes: slots.pushes });
    });
  }

  /**
   * The window under `capacity`, or a reason when the records cannot give it (a position the header
   * needs that no record holds: a changelog damaged outside Shopfloor).
   */
  build(
    capacity: number,
  ): { ok: true; window: RollingWindow } | { ok: false; reason: string; pushes: number } {
    const h = this.header;
    if (h === undefined) return { ok: false, reason: 'no window records', pushes: 0 };
    const valid =
      Number.isInteger(h.capacity) &&
      h.capacity >= 1 &&
      Number.isInteger(h.size) &&
      h.size >= 0 &&
      h.size <= h.capacity &&
      Number.isInteger(h.head) &&
      h.head >= 0 &&
      h.head < h.capacity &&
      (h.size === h.capacity || h.head === 0);
    if (!valid)
      return {
        ok: false,
        reason: `inconsistent header (capacity ${h.capacity}, head ${h.head}, size ${h.size})`,
        pushes: h.pushes,
      };
    const ring: number[] = [];
    for (let i = 0; i < h.size; i++) {
      const position = (h.head + i) % h.capacity;
      const at = this.positions.get(position);
      if (at === undefined)
        return { ok: false, reason: `ring position ${position} missing`, pushes: h.pushes };
      ring[position] = at.value;
    }
    const window = RollingWindow.fromRing(h, ring);
    if (h.capacity === capacity) return { ok: true, window };
    return { ok: true, window: RollingWindow.fromSnapshotRelaidOut(capacity, window.snapshot(), h.pushes) };
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
