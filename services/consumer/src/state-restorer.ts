import { type StateRecord, winnerOf } from '@shopfloor/contracts';
import type { PartitionStateStore } from '@shopfloor/dedupe';
import {
  type ChangelogState,
  keyValueChangelogState,
  type RestoreFromChangelogInput,
  type RestoreReport,
  restoreFromChangelog,
} from '@shopfloor/stream-runner';

/**
 * The dedupe state's side of a restore from events.state: a store with a usable local checkpoint
 * resumes from it, one without is cleared and read from offset 0; each entry is the eventId's
 * winner (or a tombstone), applied with the checkpoint it brings the store to.
 */
export const dedupeChangelogState: ChangelogState<PartitionStateStore, StateRecord> =
  keyValueChangelogState(winnerOf);

/** Restores the dedupe state stores of these owners' partitions from events.state. */
export function restorePartitions(
  input: Omit<RestoreFromChangelogInput<PartitionStateStore, StateRecord>, 'state'>,
): Promise<RestoreReport[]> {
  return restoreFromChangelog({ ...input, state: dedupeChangelogState });
}
