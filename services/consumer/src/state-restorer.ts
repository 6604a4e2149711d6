import { type StateRecord, winnerOf } from '@shopfloor/contracts';
import type { PartitionStateStore, StateWrite } from '@shopfloor/dedupe';
import {
  type ChangelogState,
  type RestoreFromChangelogInput,
  type RestoreReport,
  restoreFromChangelog,
} from './changelog-restorer.ts';

/**
 * The dedupe state's side of a restore from events.state: a store with a usable local checkpoint
 * resumes from it, one without is cleared and read from offset 0; each entry is the eventId's
 * winner (or a tombstone), applied with the checkpoint it brings the store to.
 */
export const dedupeChangelogState: ChangelogState<PartitionStateStore, StateRecord> = {
  startOffset(store) {
    const checkpoint = store.checkpoint();
    if (checkpoint === undefined) store.clear();
    return checkpoint ?? '0';
  },
  apply(store, entries, next) {
    store.apply(
      entries.map(({ key, value }): StateWrite => [key, value === null ? null : winnerOf(value)]),
      next,
    );
  },
};

/** Restores the dedupe state stores of these owners' partitions from events.state. */
export function restorePartitions(
  input: Omit<RestoreFromChangelogInput<PartitionStateStore, StateRecord>, 'state'>,
): Promise<RestoreReport[]> {
  return restoreFromChangelog({ ...input, state: dedupeChangelogState });
}
