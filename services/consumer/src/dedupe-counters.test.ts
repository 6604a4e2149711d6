import { describe, expect, it } from 'vitest';
import { countCommittedBatch, createDedupeCounters } from './dedupe-counters.ts';

describe('dedupe counters', () => {
  it('start at zero', () => {
    expect(createDedupeCounters()).toEqual({
      batches: 0,
      records: 0,
      accepted: 0,
      deduped: 0,
      updated: 0,
      stale: 0,
      invalid: 0,
      evicted: 0,
      found: 0,
      restores: [],
    });
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
