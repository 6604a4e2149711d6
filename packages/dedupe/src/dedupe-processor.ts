import {
  type ChangeRecord,
  changeRecordFor,
  decide,
  type RawEventRecord,
  receivedEventOf,
  stateToStore,
  type WinnerState,
} from '@shopfloor/contracts';
import { ChangeLoggingBatch } from './change-logging-batch.ts';
import type { PartitionStateStore, StateWrite, WinnerLookup } from './state-store.ts';

export type DedupeBatchResult = {
  /** One change record per input record, in input order (deduped/stale ones carry no rows). */
  changes: ChangeRecord[];
  /** The state changelog entries to write to events.state (one per changed eventId). */
  stateWrites: StateWrite[];
  /** Makes the batch's state the store's state, once the changelog and offsets are committed. */
  commit(checkpoint: string): void;
};

/**
 * Decides every record of one partition's batch against the partition's state. Nothing is written
 * to the store until `commit`, so an aborted transaction leaves the store untouched.
 */
export function dedupeBatch(
  store: PartitionStateStore,
  records: readonly RawEventRecord[],
  options: {
    expire?: readonly string[] | undefined;
    found?: ReadonlyMap<string, WinnerState> | undefined;
  } = {},
): DedupeBatchResult {
  const batch = new ChangeLoggingBatch(store);
  // Past the horizon: drop these winners from the state (tombstones in the changelog)...
  for (const id of options.expire ?? []) batch.delete(id);
  // ...and bring back the ones incoming events need, found in the projection.
  if (options.found) batch.prime(options.found);
  const changes = records.map((record) => {
    const decision = decide(batch.get(record.event.eventId), receivedEventOf(record));
    const next = stateToStore(decision);
    if (next) batch.put(next);
    return changeRecordFor(record, decision);
  });
  return { changes, stateWrites: batch.changelog(), commit: (checkpoint) => batch.applyTo(checkpoint) };
}

/**
 * With a state horizon, an eventId missing from the state may have been seen before the horizon:
 * its winner is looked up (in ClickHouse) before deciding, so an old event is never double counted.
 */
export async function findEvictedWinners(
  store: PartitionStateStore,
  records: readonly RawEventRecord[],
  lookup: WinnerLookup | undefined,
): Promise<Map<string, WinnerState> | undefined> {
  if (!lookup) return undefined;
  const missing = new ChangeLoggingBatch(store).missing(records.map((r) => r.event.eventId));
  return missing.length === 0 ? undefined : lookup(missing);
}
