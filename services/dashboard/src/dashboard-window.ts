import type { TimeRange } from '@shopfloor/clickhouse';
import type { WindowKey } from './snapshot-types.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

export const WINDOW_MS: Record<WindowKey, number> = {
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
  '24h': 24 * HOUR_MS,
  '7d': 7 * 24 * HOUR_MS,
};

/**
 * The dashboard window: the last `key` of whole minutes, up to the end of the current minute.
 * Whole minutes keep every windowed query on the minute rollups (no partial edge to scan).
 */
export function dashboardWindow(key: WindowKey, nowMs: number): TimeRange {
  const toMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  return { fromMs: toMs - WINDOW_MS[key], toMs };
}

/** The `count` buckets of `bucketMs` up to and including the one holding `nowMs`. */
export function recentBuckets(nowMs: number, bucketMs: number, count: number): TimeRange {
  const toMs = Math.floor(nowMs / bucketMs) * bucketMs + bucketMs;
  return { fromMs: toMs - count * bucketMs, toMs };
}
