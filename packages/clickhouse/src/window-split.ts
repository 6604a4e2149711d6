/** `[from, to)` in epoch ms; `from === to` is the empty range. */
export type MsRange = readonly [from: number, to: number];

/** A window cut at bucket boundaries: head ∪ full ∪ tail = [start, end), disjoint, each maybe empty. */
export interface BucketSplit {
  head: MsRange;
  full: MsRange;
  tail: MsRange;
}

function floorTo(t: number, bucketMs: number): number {
  return t - (((t % bucketMs) + bucketMs) % bucketMs);
}

/**
 * Splits `[startMs, endMs)` into the partial head `[start, ceil(start))`, the whole buckets
 * `[ceil(start), floor(end))` and the partial tail `[floor(end), end)`. When start and end lie in the
 * same bucket the whole window is the head. Empty parts are returned as empty ranges (`[x, x)`) so
 * that one static SQL statement can take all three as parameters.
 * Same cut as `splitWindow` in @shopfloor/contracts (which returns null for empty parts).
 */
export function splitBuckets(startMs: number, endMs: number, bucketMs: number): BucketSplit {
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) {
    throw new RangeError(`window bounds must be integers, got [${startMs}, ${endMs})`);
  }
  if (!Number.isSafeInteger(bucketMs) || bucketMs <= 0) {
    throw new RangeError(`bucketMs must be a positive integer, got ${bucketMs}`);
  }
  if (endMs <= startMs)
    return { head: [startMs, startMs], full: [startMs, startMs], tail: [startMs, startMs] };
  const startFloor = floorTo(startMs, bucketMs);
  const endFloor = floorTo(endMs, bucketMs);
  if (startFloor === endFloor) return { head: [startMs, endMs], full: [endMs, endMs], tail: [endMs, endMs] };
  const startCeil = startFloor === startMs ? startMs : startFloor + bucketMs;
  return { head: [startMs, startCeil], full: [startCeil, endFloor], tail: [endFloor, endMs] };
}
