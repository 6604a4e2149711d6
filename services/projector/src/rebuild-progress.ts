/** What GET /admin/rebuild reports while a rebuild runs and after it ended. */
export type RebuildPhase = 'preparing' | 'copying' | 'catching-up' | 'switching' | 'done';

export type RebuildState = 'idle' | 'running' | 'succeeded' | 'failed' | 'aborted';

export type RebuildStatus = {
  state: RebuildState;
  phase: RebuildPhase | null;
  /** Log positions (offsets) re-projected so far, and in all: the total grows while the log does. */
  done: number;
  total: number;
  /** Records decoded and applied (offsets minus transaction markers). */
  records: number;
  recordsPerSecond: number;
  /** Seconds left at the current rate; null before the rate is known. */
  etaSeconds: number | null;
  startedAt: string | null;
  finishedAt: string | null;
  error: string | null;
  /** The streams being (or last) rebuilt: events, sensors, metric-events. */
  streams: string[];
};

export const idleStatus = (): RebuildStatus => ({
  state: 'idle',
  phase: null,
  done: 0,
  total: 0,
  records: 0,
  recordsPerSecond: 0,
  etaSeconds: null,
  startedAt: null,
  finishedAt: null,
  error: null,
  streams: [],
});

/** Rate and ETA of `done` out of `total` after `elapsedMs`. Pure. */
export function rateAndEta(
  done: number,
  total: number,
  elapsedMs: number,
): { recordsPerSecond: number; etaSeconds: number | null } {
  if (elapsedMs <= 0 || done <= 0) return { recordsPerSecond: 0, etaSeconds: null };
  const recordsPerSecond = (done * 1000) / elapsedMs;
  return {
    recordsPerSecond: Math.round(recordsPerSecond),
    etaSeconds: Math.max(0, Math.ceil((total - done) / recordsPerSecond)),
  };
}

/** Log positions between `from` (exclusive) and `to` (inclusive), summed over partitions. */
export function positionsBetween(from: ReadonlyMap<string, bigint>, to: ReadonlyMap<string, bigint>): number {
  let n = 0n;
  for (const [key, target] of to) {
    const start = from.get(key) ?? -1n;
    if (target > start) n += target - start;
  }
  return Number(n);
}
