import { describe, expect, it } from 'vitest';
import { groupToken, partitionKey } from './range-group.ts';
import { type CommittedOffset, recoverSinkState } from './sink-recovery.ts';
import { CHANGES, DLQ } from './testing/records.ts';

const marker = (
  topic: string,
  partition: number,
  minOffset: number,
  maxOffset: number,
  updatedAt: number,
) => ({
  topic,
  partition,
  minOffset,
  maxOffset,
  updatedAt,
});
const committed = (topic: string, partition: number, offset: number): CommittedOffset => ({
  topic,
  partition,
  offset: BigInt(offset),
});

// Partition 0 was last in the group at t=100 (applied: a later group was recorded after it);
// the latest group, t=200, holds changes[1] 10-19 and dlq[0] 3-4.
const markers = [marker(CHANGES, 0, 0, 9, 100), marker(CHANGES, 1, 10, 19, 200), marker(DLQ, 0, 3, 4, 200)];

describe('recoverSinkState', () => {
  it('starts from nothing without markers', () => {
    const state = recoverSinkState([], []);
    expect(state).toEqual({
      appliedUpTo: new Map(),
      unappliedGroup: undefined,
      heldBack: new Map(),
      lastMarkerAt: 0,
    });
  });

  it('takes the latest recorded group as unapplied while no committed offset is past it', () => {
    for (const offsets of [
      [],
      [committed(CHANGES, 0, 10), committed(CHANGES, 1, 10), committed(DLQ, 0, -1)],
      [committed(CHANGES, 1, 19)],
    ]) {
      const state = recoverSinkState(markers, offsets);
      expect(state.unappliedGroup && groupToken(state.unappliedGroup)).toBe(
        'g200|events.changes:1:10-19,events.dlq:0:3-4',
      );
      expect(state.appliedUpTo).toEqual(
        new Map([
          [partitionKey(CHANGES, 0), 9n],
          [partitionKey(CHANGES, 1), 9n],
          [partitionKey(DLQ, 0), 2n],
        ]),
      );
      expect(state.lastMarkerAt).toBe(200);
    }
  });

  it('takes the latest group as applied when one of its partitions is committed past its range', () => {
    const state = recoverSinkState(markers, [committed(DLQ, 0, 5), committed(CHANGES, 1, -1)]);
    expect(state.unappliedGroup).toBeUndefined();
    expect(state.appliedUpTo).toEqual(
      new Map([
        [partitionKey(CHANGES, 0), 9n],
        [partitionKey(CHANGES, 1), 19n],
        [partitionKey(DLQ, 0), 4n],
      ]),
    );
  });

  it('ignores committed offsets of partitions outside the latest group', () => {
    const state = recoverSinkState(markers, [committed(CHANGES, 0, 500), committed(CHANGES, 7, 3)]);
    expect(state.unappliedGroup).toBeDefined();
  });
});
