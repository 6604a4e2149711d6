import { parseIsoInstant } from './instant.ts';

/** A time window `[startMs, endMs)`: start inclusive, end exclusive, epoch ms. */
export type TimeWindow = { startMs: number; endMs: number };

/** A half-open range `[from, to)` of epoch ms. */
export type Range = [from: number, to: number];

/**
 * A window cut along bucket boundaries so that rollups answer the whole buckets and raw rows the
 * partial edges, exactly: `head` ∪ `buckets` ∪ `tail` = `[start, end)`, pairwise disjoint, in order.
 */
export type WindowSplit = { head: Range | null; buckets: Range | null; tail: Range | null };

export const MS_PER_HOUR = 3_600_000;

/**
 * Parses a query-string instant to epoch ms, or `null`. Same grammar as `eventTime`: ISO-8601 with a
 * zone, seconds required, fraction optional (`2026-01-01T10:00:00Z` and `2026-01-01T10:00:00.000Z`
 * are the same instant), digits past the ms truncated. A zone-less string is rejected (`null`):
 * which zone the caller meant is unknowable, and guessing the server's would make answers depend on
 * where the query service runs.
 */
export function parseInstant(s: string): number | null {
  return parseIsoInstant(s);
}

/** Whether instant `t` lies in `[w.startMs, w.endMs)`. */
export function inWindow(t: number, w: TimeWindow): boolean {
  return t >= w.startMs && t < w.endMs;
}

function assertInteger(name: string, v: number): void {
  if (!Number.isSafeInteger(v)) throw new RangeError(`${name} must be an integer, got ${v}`);
}

function assertBucket(bucketMs: number): void {
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
    throw new RangeError(`bucketMs must be a positive integer, got ${bucketMs}`);
  }
}

/** The greatest multiple of `bucketMs` ≤ `t` (floor division, correct for negative `t`). */
export function floorTo(t: number, bucketMs: number): number {
  assertInteger('t', t);
  assertBucket(bucketMs);
  return t - (((t % bucketMs) + bucketMs) % bucketMs);
}

/** The least multiple of `bucketMs` ≥ `t`. */
export function ceilTo(t: number, bucketMs: number): number {
  const f = floorTo(t, bucketMs);
  return f === t ? t : f + bucketMs;
}

/**
 * Splits `[startMs, endMs)` along multiples of `bucketMs` (aligned to the epoch, so negative instants
 * work too):
 * - `head` = `[start, ceil(start))` when start is not aligned,
 * - `buckets` = the whole buckets `[ceil(start), floor(end))`, when there is at least one,
 * - `tail` = `[floor(end), end)` when end is not aligned.
 * When start and end fall in the same bucket only `head` = `[start, end)` is set. An empty or
 * inverted window (end ≤ start) gives all null. Throws RangeError on non-integer input or a
 * non-positive bucket.
 */
export function splitWindow(startMs: number, endMs: number, bucketMs: number): WindowSplit {
  assertInteger('startMs', startMs);
  assertInteger('endMs', endMs);
  assertBucket(bucketMs);
  if (endMs <= startMs) return { head: null, buckets: null, tail: null };
  const startFloor = floorTo(startMs, bucketMs);
  const endFloor = floorTo(endMs, bucketMs);
  if (startFloor === endFloor) return { head: [startMs, endMs], buckets: null, tail: null };
  const startCeil = ceilTo(startMs, bucketMs);
  return {
    head: startCeil === startMs ? null : [startMs, startCeil],
    buckets: startCeil < endFloor ? [startCeil, endFloor] : null,
    tail: endFloor === endMs ? null : [endFloor, endMs],
  };
}

/** Length of a window in hours (may be fractional; negative for an inverted window). */
export function windowHours(startMs: number, endMs: number): number {
  return (endMs - startMs) / MS_PER_HOUR;
}
