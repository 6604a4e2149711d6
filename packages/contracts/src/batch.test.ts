import { describe, expect, test } from 'vitest';
import {
  addDecision,
  addRejection,
  type BatchItemDecision,
  batchOutcomeSchema,
  emptyOutcome,
  summarizeBatch,
} from './batch.ts';
import type { DecisionKind } from './dedupe-decision.ts';

describe('emptyOutcome', () => {
  test('is all zeros and a fresh object each time', () => {
    expect(emptyOutcome()).toEqual({ accepted: 0, deduped: 0, updated: 0, rejected: 0, rejections: [] });
    expect(emptyOutcome()).not.toBe(emptyOutcome());
    expect(emptyOutcome().rejections).not.toBe(emptyOutcome().rejections);
  });
});

describe('addDecision', () => {
  test.each<[DecisionKind, Partial<ReturnType<typeof emptyOutcome>>]>([
    ['accepted', { accepted: 1 }],
    ['deduped', { deduped: 1 }],
    ['updated', { updated: 1 }],
    ['stale', { deduped: 1 }],
  ])('%s', (kind, counts) => {
    const before = emptyOutcome();
    expect(addDecision(before, kind)).toEqual({ ...emptyOutcome(), ...counts });
    expect(before).toEqual(emptyOutcome()); // not mutated
  });
});

describe('addRejection', () => {
  test('counts and lists rejections in call order without mutating', () => {
    const before = emptyOutcome();
    const one = addRejection(before, { eventId: 'E-1', reason: 'INVALID_DURATION' });
    const two = addRejection(one, { eventId: null, reason: 'NOT_AN_OBJECT' });
    expect(two).toEqual({
      ...emptyOutcome(),
      rejected: 2,
      rejections: [
        { eventId: 'E-1', reason: 'INVALID_DURATION' },
        { eventId: null, reason: 'NOT_AN_OBJECT' },
      ],
    });
    expect(before.rejections).toEqual([]);
    expect(one.rejections).toHaveLength(1);
  });
});

describe('summarizeBatch', () => {
  const decisions: BatchItemDecision[] = [
    { seq: 4, decision: 'rejected', eventId: null, reason: 'MISSING_FIELD' },
    { seq: 0, decision: 'accepted', eventId: 'E-0' },
    { seq: 2, decision: 'rejected', eventId: 'E-2', reason: 'FUTURE_EVENT_TIME' },
    { seq: 1, decision: 'stale', eventId: 'E-1' },
    { seq: 3, decision: 'updated', eventId: 'E-3' },
    { seq: 5, decision: 'deduped', eventId: 'E-5' },
    { seq: 6, decision: 'accepted', eventId: 'E-6' },
  ];
  const expected = {
    accepted: 2,
    deduped: 2,
    updated: 1,
    rejected: 2,
    rejections: [
      { eventId: 'E-2', reason: 'FUTURE_EVENT_TIME' },
      { eventId: null, reason: 'MISSING_FIELD' },
    ],
  };

  test('counts every kind and lists rejections in batch order', () => {
    const outcome = summarizeBatch(decisions);
    expect(outcome).toEqual(expected);
    expect(batchOutcomeSchema.parse(outcome)).toEqual(expected);
  });

  test('is independent of the order decisions arrive in', () => {
    expect(summarizeBatch([...decisions].reverse())).toEqual(expected);
  });

  test('an empty batch is the empty outcome', () => {
    expect(summarizeBatch([])).toEqual(emptyOutcome());
  });

  test('the counts always add up to the number of decisions', () => {
    const o = summarizeBatch(decisions);
    expect(o.accepted + o.deduped + o.updated + o.rejected).toBe(decisions.length);
    expect(o.rejections).toHaveLength(o.rejected);
  });
});
