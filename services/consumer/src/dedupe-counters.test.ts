import { describe, expect, it } from 'vitest';
import { countCommittedBatch, createDedupeCounters } from './dedupe-counters.ts';

describe('dedupe counters', () => {
  it('start at zero', () => {
    const { restores, ...numbers } = createDedupeCounters();
    expect(Object.values(numbers).every((n) => n === 0)).toBe(true);
    expect(restores).toEqual([]);
  });

  it('add up committed batches, one decision per change', () => {
    const counters = createDedupeCounters();
    countCommittedBatch(counters, {
      records: 4,
      invalid: 1,
      evicted: 2,
      found: 1,
      changes: [{ decision: 'accepted' }, { decision: 'updated' }, { decision: 'accepted' }],
    });
    countCommittedBatch(counters, {
      records: 2,
      invalid: 0,
      evicted: 0,
      found: 0,
      changes: [{ decision: 'deduped' }, { decision: 'stale' }],
    });
    expect(counters).toMatchObject({
      batches: 2,
      records: 6,
      invalid: 1,
      evicted: 2,
      found: 1,
      accepted: 2,
      updated: 1,
      deduped: 1,
      stale: 1,
    });
  });
});
