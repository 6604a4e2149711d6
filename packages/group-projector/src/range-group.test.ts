import { describe, expect, it } from 'vitest';
import {
  groupToken,
  isFullyFetched,
  markersOf,
  offsetsToCommit,
  partitionKey,
  rangeGroupFromMarkers,
  recordCount,
} from './range-group.ts';
import { CHANGES, DLQ, group, messages, range } from './testing/records.ts';

describe('groupToken', () => {
  it('is the marker time and every range, in a fixed order whatever the insertion order', () => {
    const a = group(42, range(DLQ, 0, 7, 7), range(CHANGES, 3, 10, 19), range(CHANGES, 1, 0, 4));
    const b = group(42, range(CHANGES, 1, 0, 4), range(CHANGES, 3, 10, 19), range(DLQ, 0, 7, 7));
    expect(groupToken(a)).toBe('g42|events.changes:1:0-4,events.changes:3:10-19,events.dlq:0:7-7');
    expect(groupToken(b)).toBe(groupToken(a));
  });

  it('differs when the marker time or a range differs', () => {
    const base = groupToken(group(42, range(CHANGES, 1, 0, 4)));
    expect(groupToken(group(43, range(CHANGES, 1, 0, 4)))).not.toBe(base);
    expect(groupToken(group(42, range(CHANGES, 1, 0, 5)))).not.toBe(base);
    expect(groupToken(group(42, range(CHANGES, 2, 0, 4)))).not.toBe(base);
  });

  it('is the same for the group re-formed from its markers (records do not take part)', () => {
    const applied = group(
      1_700_000_000_123,
      range(CHANGES, 0, 5, 9, messages(5, 9)),
      range(DLQ, 0, 2, 3, messages(2, 3)),
    );
    const reformed = rangeGroupFromMarkers(markersOf(applied));
    expect(reformed && groupToken(reformed)).toBe(groupToken(applied));
    expect(reformed?.ranges.get(partitionKey(CHANGES, 0))?.messages).toEqual([]);
  });
});

describe('markers and offsets', () => {
  it('records one marker per partition, all with the group time', () => {
    expect(markersOf(group(9, range(CHANGES, 2, 3, 8), range(DLQ, 0, 0, 0)))).toEqual([
      { topic: CHANGES, partition: 2, minOffset: 3, maxOffset: 8, updatedAt: 9 },
      { topic: DLQ, partition: 0, minOffset: 0, maxOffset: 0, updatedAt: 9 },
    ]);
  });

  it('has no group without markers', () => {
    expect(rangeGroupFromMarkers([])).toBeUndefined();
  });

  it('commits the offset after each range (the next record to read)', () => {
    expect(offsetsToCommit(group(9, range(CHANGES, 2, 3, 8), range(DLQ, 0, 0, 0)))).toEqual([
      { topic: CHANGES, partition: 2, offset: '9' },
      { topic: DLQ, partition: 0, offset: '1' },
    ]);
  });
});

describe('isFullyFetched', () => {
  it('holds once every range has its records up to its max', () => {
    const g = group(1, range(CHANGES, 0, 0, 2, messages(0, 2)), range(CHANGES, 1, 5, 6, messages(5, 5)));
    expect(isFullyFetched(g)).toBe(false);
    g.ranges.get(partitionKey(CHANGES, 1))!.messages.push(...messages(6, 6));
    expect(isFullyFetched(g)).toBe(true);
    expect(recordCount(g)).toBe(5);
  });

  it('does not hold for a range without records', () => {
    expect(isFullyFetched(group(1, range(CHANGES, 0, 0, 2)))).toBe(false);
  });
});
