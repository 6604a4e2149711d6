import { InMemoryStateStore, type StateValue } from '@shopfloor/dedupe';
import { describe, expect, it } from 'vitest';
import { keyValueChangelogState } from './key-value-changelog-state.ts';

type Seen = StateValue & { n: number };
const state = keyValueChangelogState((record: { n: number }): Seen => ({ receivedAt: 1, n: record.n }));

function storeAt(checkpoint: string | undefined) {
  const store = new InMemoryStateStore<Seen>(0);
  if (checkpoint !== undefined) store.apply([['old', { receivedAt: 1, n: 0 }]], checkpoint);
  return store;
}

describe('keyValueChangelogState', () => {
  it('resumes from a local checkpoint at or before the marker, keeping the store', () => {
    const store = storeAt('5');
    expect(state.startOffset(store, '9')).toBe('5');
    expect(store.count()).toBe(1);
  });

  it('restores from 0, cleared, without a checkpoint or with one past the marker (changelog re-created)', () => {
    const ahead = storeAt('50');
    expect(state.startOffset(ahead, '9')).toBe('0');
    expect(ahead.count()).toBe(0);
    expect(ahead.checkpoint()).toBeUndefined();
    expect(state.startOffset(storeAt(undefined), '9')).toBe('0');
  });

  it('applies entries through toState and tombstones as deletes, with the next offset as checkpoint', () => {
    const store = storeAt('0');
    state.apply(
      store,
      [
        { key: 'a', value: { n: 7 } },
        { key: 'old', value: null },
      ],
      '3',
    );
    expect(store.get('a')).toEqual({ receivedAt: 1, n: 7 });
    expect(store.get('old')).toBeUndefined();
    expect(store.checkpoint()).toBe('3');
  });
});
