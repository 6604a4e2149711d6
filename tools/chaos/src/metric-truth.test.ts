import { metricEventId } from '@shopfloor/metric-events';
import { describe, expect, it } from 'vitest';
import { failedDiff } from './metric-check.ts';
import { failureKey, MetricTruth, metricMinuteKey } from './metric-truth.ts';
import { MetricWorkload } from './metric-workload.ts';

const ts = '2026-03-01T10:00:00.250Z';
const tsMs = Date.parse(ts);
const event = (amount: number, extra: Record<string, unknown> = {}) => ({
  client_id: 'acme',
  payload: { metric: 'clicks', amount, timestamp: ts },
  ...extra,
});
const idOf = (amount: number) =>
  metricEventId({ clientId: 'acme', metric: 'clicks', amount, timestampMs: tsMs });

describe('MetricTruth', () => {
  it('counts an identity once, whatever the source, zone or number of posts', () => {
    const t = new MetricTruth();
    t.acknowledged([event(3), event(3, { source: 'web' })], 1);
    t.acknowledged(
      [{ ...event(3), payload: { metric: 'clicks', amount: 3, timestamp: '2026-03-01T11:00:00.250+01:00' } }],
      2,
    );
    expect([...t.counted.keys()]).toEqual([idOf(3)]);
    expect(t.failures.size).toBe(0);
  });

  it('lists a simulated failure and counts the identity once re-posted without the flag', () => {
    const t = new MetricTruth();
    t.acknowledged([event(5, { simulateFailure: true })], 2);
    expect(t.counted.size).toBe(0);
    t.acknowledged([event(5)], 1);
    expect(t.counted.has(idOf(5))).toBe(true);
    expect(t.failures.get(`SIMULATED_FAILURE ${idOf(5)}`)).toEqual({
      clientId: 'acme',
      reason: 'SIMULATED_FAILURE',
      maxRows: 2,
    });
    // A flagged post of an identity already counted is a duplicate: no failure.
    t.acknowledged([event(6), event(6, { simulateFailure: true })], 1);
    expect(t.failures.has(`SIMULATED_FAILURE ${idOf(6)}`)).toBe(false);
  });

  it('lists each invalid event under its unique source, once per attempt at most', () => {
    const t = new MetricTruth();
    const bad = {
      client_id: 'acme',
      source: 'bad-1',
      payload: { metric: 'clicks', amount: '3', timestamp: ts },
    };
    t.acknowledged([bad], 1);
    t.acknowledged([bad], 2);
    expect(t.failures.get('INVALID_TYPE bad-1')).toEqual({
      clientId: 'acme',
      reason: 'INVALID_TYPE',
      maxRows: 3,
    });
    expect(t.expectedAnswer(bad)).toEqual({ id: null, reason: 'INVALID_TYPE' });
    expect(t.expectedAnswer(event(1))).toEqual({ id: idOf(1), reason: null });
  });

  it('answers aggregates over [from, to) exactly (per metric, past 2^53 in total) and the minute totals', () => {
    const t = new MetricTruth();
    const big = 2 ** 52;
    t.acknowledged(
      [event(big), event(big + 1), event(-7, { payload: { metric: 'orders', amount: -7, timestamp: ts } })],
      1,
    );
    expect(t.aggregates('acme', tsMs, tsMs + 1)).toEqual({
      count: 3,
      totalAmount: String(2n * BigInt(big) + 1n - 7n),
      metrics: {
        clicks: { count: 2, totalAmount: String(2n * BigInt(big) + 1n) },
        orders: { count: 1, totalAmount: '-7' },
      },
    });
    expect(t.aggregates('acme', tsMs + 1, tsMs + 60_000).count).toBe(0);
    expect(t.aggregates('acme', tsMs - 1, tsMs).count).toBe(0);
    expect(t.minutes().get(metricMinuteKey('acme', 'orders', Date.parse('2026-03-01T10:00:00Z')))).toEqual({
      count: 1,
      totalAmount: '-7',
    });
  });
});

describe('failedDiff', () => {
  it('wants every expected failure listed 1..attempts times and nothing else', () => {
    const t = new MetricTruth();
    t.acknowledged([event(5, { simulateFailure: true })], 1);
    t.acknowledged(
      [{ client_id: 'acme', source: 'bad-1', payload: { metric: 'clicks', amount: 1.5, timestamp: ts } }],
      1,
    );
    const simulated = { id: idOf(5), reason: 'SIMULATED_FAILURE', payload: {} };
    const rejected = { id: null, reason: 'NOT_AN_INTEGER', payload: { source: 'bad-1' } };
    expect(failedDiff('f', t, [simulated, rejected]).differences).toBe(0);
    const twice = failedDiff('f', t, [simulated, simulated, rejected]);
    expect([twice.mismatched, twice.differences]).toEqual([1, 1]);
    const missing = failedDiff('f', t, [simulated]);
    expect([missing.missing, missing.differences]).toEqual([1, 1]);
    const extra = failedDiff('f', t, [
      simulated,
      rejected,
      { id: null, reason: 'MISSING_FIELD', payload: { source: 'x' } },
    ]);
    expect([extra.extra, extra.differences]).toEqual([1, 1]);
    expect(failureKey('MISSING_FIELD', null, { source: 'x' })).toBe('MISSING_FIELD x');
  });
});

describe('MetricWorkload', () => {
  it('is a function of its seed and re-posts simulated failures without the flag in later requests only', () => {
    const a = new MetricWorkload('t', 3, ['c1', 'c2']);
    const b = new MetricWorkload('t', 3, ['c1', 'c2']);
    const requests = Array.from({ length: 200 }, () => a.batch(10));
    expect(Array.from({ length: 200 }, () => b.batch(10))).toEqual(requests);
    const t = new MetricTruth();
    const flaggedBefore = new Set<string>();
    for (const request of requests) {
      for (const e of request) {
        const id = t.expectedAnswer(e).id;
        if (id === null) continue;
        if ((e as { simulateFailure?: boolean }).simulateFailure) flaggedBefore.add(id);
      }
      t.acknowledged(request, 1);
    }
    expect(a.counts.simulated).toBeGreaterThan(0);
    expect(a.counts.retriedAfterFailure).toBeGreaterThan(0);
    expect(a.counts.invalid).toBeGreaterThan(0);
    expect(t.failures.size).toBe(a.counts.simulated + a.counts.invalid);
    expect(t.counted.size).toBe(a.counts.fresh + a.counts.retriedAfterFailure);
  });
});
