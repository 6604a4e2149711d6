/** Nearest-rank percentile of unsorted samples (q in [0, 1]); NaN for no samples. */
export function percentile(samples: readonly number[], q: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

/** The arithmetic mean; NaN for no samples. */
export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((a, b) => a + b, 0) / samples.length;
}

export type LatencySummary = { n: number; p50: number; p99: number; max: number; mean: number };

export function summarize(samples: readonly number[]): LatencySummary {
  const n = samples.length;
  return {
    n,
    p50: round(percentile(samples, 0.5)),
    p99: round(percentile(samples, 0.99)),
    max: round(n === 0 ? Number.NaN : Math.max(...samples)),
    mean: round(mean(samples)),
  };
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** 12345.6 → "12 346" (thin groups, easy to read in a table). */
export function fmtInt(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return Math.round(x)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
}

export function fmtMs(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? `${Math.round(x)} ms` : `${x.toFixed(1)} ms`;
}
