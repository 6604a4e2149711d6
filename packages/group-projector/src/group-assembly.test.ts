import { describe, expect, it } from 'vitest';
import { acceptFetched, formNextGroup, groupRecorded, markGroupApplied } from './group-assembly.ts';
import { groupToken, isFullyFetched, partitionKey } from './range-group.ts';
import type { SinkState } from './sink-state.ts';
import { CHANGES, DLQ, group, messages, offsets, range } from './testing/records.ts';

const P0 = partitionKey(CHANGES, 0);
const P1 = partitionKey(CHANGES, 1);
const D0 = partitionKey(DLQ, 0);

const fresh = (over: Partial<SinkState> = {}): SinkState => ({
  appliedUpTo: new Map(),
  unappliedGroup: undefined,
  heldBack: new Map(),
  lastMarkerAt: 0,
  ...over,
});
const fetched = (topic: string, partition: number, from: number, to: number) => ({
  topic,
  partition,
  messages: messages(from, to),
});
const held = (state: SinkState, key: string) => offsets(state.heldBack.get(key)?.messages ?? []);

describe('acceptFetched without an unapplied group', () => {
  it('holds back what is not applied yet, partition by partition', () => {
    const state = acceptFetched(fresh({ appliedUpTo: new Map([[P0, 4n]]) }), [
      fetched(CHANGES, 0, 3, 6),
      fetched(DLQ, 0, 0, 1),
    ]);
    expect(held(state, P0)).toEqual([5, 6]);
    expect(held(state, D0)).toEqual([0, 1]);
  });

  it('takes a record fetched twice once (a batch fetched again after a failed flush)', () => {
    let state = acceptFetched(fresh(), [fetched(CHANGES, 0, 0, 3)]);
    state = acceptFetched(state, [fetched(CHANGES, 0, 2, 5)]);
    expect(held(state, P0)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('does not change the state given', () => {
    const before = fresh();
    acceptFetched(before, [fetched(CHANGES, 0, 0, 3)]);
    expect(before.heldBack.size).toBe(0);
  });
});

describe('acceptFetched re-forming the unapplied group', () => {
  // Recorded before a crash: changes[0] 10-12 and changes[1] 20-20; applied up to just before them.
  const recovered = () =>
    fresh({
      appliedUpTo: new Map([
        [P0, 9n],
        [P1, 19n],
      ]),
      unappliedGroup: group(500, range(CHANGES, 0, 10, 12), range(CHANGES, 1, 20, 20)),
      lastMarkerAt: 500,
    });

  it('fills its ranges with exactly the recorded offsets and holds back what lies past them', () => {
    let state = acceptFetched(recovered(), [fetched(CHANGES, 0, 10, 11)]);
    expect(isFullyFetched(state.unappliedGroup!)).toBe(false);
    state = acceptFetched(state, [
      fetched(CHANGES, 0, 11, 14),
      fetched(CHANGES, 1, 20, 21),
      fetched(DLQ, 0, 0, 0),
    ]);
    const g = state.unappliedGroup!;
    expect(isFullyFetched(g)).toBe(true);
    expect(offsets(g.ranges.get(P0)!.messages)).toEqual([10, 11, 12]);
    expect(offsets(g.ranges.get(P1)!.messages)).toEqual([20]);
    expect(groupToken(g)).toBe('g500|events.changes:0:10-12,events.changes:1:20-20');
    expect(held(state, P0)).toEqual([13, 14]);
    expect(held(state, P1)).toEqual([21]);
    expect(held(state, D0)).toEqual([0]);
    expect(formNextGroup(state, 1_000)).toBeUndefined(); // not before the recorded group is applied
  });

  it('leaves the group given untouched', () => {
    const before = recovered();
    acceptFetched(before, [fetched(CHANGES, 0, 10, 12)]);
    expect(before.unappliedGroup!.ranges.get(P0)!.messages).toEqual([]);
  });

  it('takes the group as applied when a fetch of one of its partitions resumes past its range', () => {
    const state = acceptFetched(recovered(), [fetched(CHANGES, 1, 21, 22)]);
    expect(state.unappliedGroup).toBeUndefined();
    expect(state.appliedUpTo).toEqual(
      new Map([
        [P0, 12n],
        [P1, 20n],
      ]),
    );
    expect(held(state, P1)).toEqual([21, 22]);
  });
});

describe('forming, recording and applying groups', () => {
  it('forms one range per partition from the held-back records, with a later marker time', () => {
    const state = acceptFetched(fresh({ lastMarkerAt: 2_000 }), [
      fetched(CHANGES, 0, 0, 2),
      fetched(DLQ, 0, 5, 5),
    ]);
    const g = formNextGroup(state, 1_000)!; // the clock stepped back
    expect(g.markerAt).toBe(2_001);
    expect(groupToken(g)).toBe('g2001|events.changes:0:0-2,events.dlq:0:5-5');
    expect(formNextGroup(state, 3_000)?.markerAt).toBe(3_000);
  });

  it('forms nothing when nothing new is held back', () => {
    expect(formNextGroup(fresh(), 1)).toBeUndefined();
    const state = fresh({
      appliedUpTo: new Map([[P0, 5n]]),
      heldBack: new Map([[P0, fetched(CHANGES, 0, 4, 5)]]),
    });
    expect(formNextGroup(state, 1)).toBeUndefined();
  });

  it('makes a recorded group the unapplied one, and an applied group moves the applied offsets', () => {
    const accepted = acceptFetched(fresh(), [fetched(CHANGES, 0, 0, 2)]);
    const g = formNextGroup(accepted, 10)!;
    const recorded = groupRecorded(accepted, g);
    expect(recorded.unappliedGroup).toBe(g);
    expect(recorded.heldBack.size).toBe(0);
    expect(recorded.lastMarkerAt).toBe(10);
    const applied = markGroupApplied(recorded, g);
    expect(applied.unappliedGroup).toBeUndefined();
    expect(applied.appliedUpTo.get(P0)).toBe(2n);
    // A record fetched again after that is dropped.
    expect(held(acceptFetched(applied, [fetched(CHANGES, 0, 1, 3)]), P0)).toEqual([3]);
  });
});
