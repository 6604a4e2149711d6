import type { OutcomeRecord } from '@shopfloor/contracts';
import { describe, expect, test } from 'vitest';
import { OutcomeTracker } from './outcome-tracker.ts';

const record = (batchId: string, decisions: OutcomeRecord['decisions'], batchSize = 3): OutcomeRecord => ({
  v: 1,
  batchId,
  batchSize,
  decisions,
});

describe('OutcomeTracker', () => {
  test('answers once every event of the batch is accounted for, across several records', async () => {
    const tracker = new OutcomeTracker();
    const waiter = tracker.expect('b-1', 3);
    let answered = false;
    void waiter.outcome.then(() => {
      answered = true;
    });
    tracker.ingest(record('b-1', [{ seq: 2, decision: 'stale', eventId: 'e-3' }]));
    tracker.ingest(record('b-1', [{ seq: 0, decision: 'accepted', eventId: 'e-1' }]));
    await Promise.resolve();
    expect(answered).toBe(false);
    expect(tracker.pending).toBe(1);
    tracker.ingest(record('b-1', [{ seq: 1, decision: 'updated', eventId: 'e-2' }]));
    expect(await waiter.outcome).toEqual({
      accepted: 1,
      deduped: 1,
      updated: 1,
      rejected: 0,
      rejections: [],
    });
    expect(tracker.pending).toBe(0);
  });

  test('a decision reported twice (at-least-once outcomes) counts once', async () => {
    const tracker = new OutcomeTracker();
    const waiter = tracker.expect('b-2', 2);
    const first = { seq: 0, decision: 'accepted' as const, eventId: 'e-1' };
    tracker.ingest(record('b-2', [first], 2));
    tracker.ingest(record('b-2', [first], 2));
    expect(tracker.pending).toBe(1);
    tracker.ingest(record('b-2', [{ seq: 1, decision: 'rejected', eventId: null, reason: 'INVALID_ID' }], 2));
    expect(await waiter.outcome).toMatchObject({
      accepted: 1,
      rejected: 1,
      rejections: [{ eventId: null, reason: 'INVALID_ID' }],
    });
  });

  test('ignores outcomes nobody waits for, and forgets a cancelled wait', () => {
    const tracker = new OutcomeTracker();
    tracker.ingest(record('unknown', [{ seq: 0, decision: 'accepted', eventId: 'e-1' }], 1));
    const waiter = tracker.expect('b-3', 1);
    waiter.cancel();
    expect(tracker.pending).toBe(0);
    tracker.ingest(record('b-3', [{ seq: 0, decision: 'accepted', eventId: 'e-1' }], 1));
    expect(tracker.pending).toBe(0);
  });

  test('tells its listeners each time a request starts to wait, until they unsubscribe', () => {
    const tracker = new OutcomeTracker();
    let told = 0;
    const unsubscribe = tracker.onExpect(() => {
      told++;
      expect(tracker.pending).toBeGreaterThan(0); // told after the waiter is registered
    });
    tracker.expect('b-3', 1);
    const second = tracker.expect('b-4', 1);
    second.cancel();
    expect(told).toBe(2);
    unsubscribe();
    tracker.expect('b-5', 1);
    expect(told).toBe(2);
    expect(tracker.pending).toBe(2);
  });

  test('reports the count of waiting requests each time it changes: a request starts, is answered, gives up', async () => {
    const tracker = new OutcomeTracker();
    const counts: number[] = [];
    const unsubscribe = tracker.onPendingChange((n) => counts.push(n));
    const first = tracker.expect('b-p1', 1);
    const second = tracker.expect('b-p2', 1);
    tracker.ingest(record('b-p1', [{ seq: 0, decision: 'accepted', eventId: 'e-1' }], 1));
    await first.outcome;
    second.cancel();
    second.cancel(); // already gone: no change, nothing reported
    expect(counts).toEqual([1, 2, 1, 0]);
    unsubscribe();
    tracker.expect('b-p3', 1);
    expect(counts).toEqual([1, 2, 1, 0]);
  });
});
