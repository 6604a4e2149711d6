import type { RawEventRecord, WinnerState } from '@shopfloor/contracts';
import { findEvictedWinners } from './dedupe-processor.ts';
import type { PartitionStateStore, WinnerLookup } from './state-store.ts';

/** What one batch does about the state horizon, passed on to `dedupeBatch`. */
export type HorizonChanges = {
  /** Entries older than the horizon, dropped from the state (tombstones) by this batch. */
  expire?: string[];
  /** Winners of incoming eventIds that had left the state, found again by the lookup. */
  found?: Map<string, WinnerState>;
};

export interface HorizonSweeperOptions {
  horizonMs: number;
  /** At most one sweep per partition in this interval. */
  sweepIntervalMs: number;
  lookup: WinnerLookup;
  /** Default 5 000: a sweep never makes one transaction huge. */
  maxEvictionsPerBatch?: number;
  now?: () => number;
}

/** Per partition batch, the horizon's part of the decision (see HorizonChanges). */
export type HorizonSweeper = (
  store: PartitionStateStore,
  records: readonly RawEventRecord[],
) => Promise<HorizonChanges>;

/**
 * Bounded state: entries not received for `horizonMs` leave the state, swept a bounded slice at a
 * time, and an incoming eventId that is not in the state is looked up before it is decided, so an
 * old event is never taken for a new one.
 */
export function createHorizonSweeper(options: HorizonSweeperOptions): HorizonSweeper {
  const now = options.now ?? Date.now;
  const maxEvictions = options.maxEvictionsPerBatch ?? 5_000;
  const lastSweepAt = new Map<number, number>();
  return async function sweepHorizon(store, records) {
    const changes: HorizonChanges = {};
    const at = now();
    if (at - (lastSweepAt.get(store.partition) ?? Number.NEGATIVE_INFINITY) >= options.sweepIntervalMs) {
      lastSweepAt.set(store.partition, at);
      // An id this batch decides on is kept: dropping it here would make it look new.
      const incoming = new Set(records.map((r) => r.event.eventId));
      changes.expire = store
        .expired(at - options.horizonMs, maxEvictions)
        .filter((eventId) => !incoming.has(eventId));
    }
    const found = await findEvictedWinners(store, records, options.lookup);
    if (found) changes.found = found;
    return changes;
  };
}

/** Unbounded state: nothing expires, nothing is looked up. */
export const noHorizon: HorizonSweeper = async () => ({});
