import type { PartitionStateStore, StateValue, StateWrite } from '@shopfloor/dedupe';
import type { ChangelogState } from './changelog-restorer.ts';

/**
 * The changelog side of any key → value state store with a checkpoint (`PartitionStateStore<V>`,
 * LMDB or in memory): a store resumes from its local checkpoint; one without a checkpoint, or with
 * one past the restore's marker (the changelog was re-created under it), is cleared and read from
 * offset 0. Each entry becomes the store's value of the record (`toState`), or a delete.
 */
export function keyValueChangelogState<V extends StateValue, R>(
  toState: (record: R) => V,
): ChangelogState<PartitionStateStore<V>, R> {
  return {
    startOffset(store, end) {
      const checkpoint = store.checkpoint();
      if (checkpoint !== undefined && BigInt(checkpoint) <= BigInt(end)) return checkpoint;
      store.clear();
      return '0';
    },
    apply(store, entries, next) {
      store.apply(
        entries.map(({ key, value }): StateWrite<V> => [key, value === null ? null : toState(value)]),
        next,
      );
    },
  };
}
