import {
  changeRecordFor,
  decide,
  receivedEventOf,
  stateToStore,
  type ChangeRecord,
  type RawEventRecord,
} from '@shopfloor/contracts';
import { ChangeLoggingBatch } from './change-logging-batch.ts';
import type { PartitionStateStore, StateWrite } from './state-store.ts';

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
): DedupeBatchResult {
  const batch = new ChangeLoggingBatch(store);
  const changes = records.map((record) => {
    const decision = decide(batch.get(record.event.eventId), receivedEventOf(record));
    const next = stateToStore(decision);
    if (next) batch.put(next);
    return changeRecordFor(record, decision);
  });
  return { changes, stateWrites: batch.changelog(), commit: (checkpoint) => batch.applyTo(checkpoint) };
}
