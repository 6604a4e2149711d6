import { describe, expect, it } from 'vitest';
import { METRIC_FAILURE_REASONS } from './metric-event.ts';
import { validateMetricEvent } from './metric-event-validation.ts';

const allow = { allowSimulatedFailures: true };
const deny = { allowSimulatedFailures: false };
const good = {
  client_id: 'c-1',
  source: 'web',
  payload: { metric: 'm', amount: 3, timestamp: '2026-03-01T10:00:00Z' },
};
const withPayload = (payload: Record<string, unknown>) => ({
  ...good,
  payload: { ...good.payload, ...payload },
});
const without = (field: string) => {
  const { [field]: _gone, ...payload } = good.payload as Record<string, unknown>;
  return { ...good, payload };
};

describe('validateMetricEvent', () => {
  it('accepts a well-formed event and normalises its timestamp', () => {
    const r = validateMetricEvent(good, deny);
    expect(r).toMatchObject({
      ok: true,
      value: {
        event: {
          clientId: 'c-1',
          source: 'web',
          metric: 'm',
          amount: 3,
          timestamp: '2026-03-01T10:00:00.000Z',
          timestampMs: Date.UTC(2026, 2, 1, 10),
        },
        simulateFailure: false,
      },
    });
  });

  it('takes source as optional: absent or null is no source', () => {
    const { source: _s, ...noSource } = good;
    expect(validateMetricEvent(noSource, deny)).toMatchObject({
      ok: true,
      value: { event: { source: null } },
    });
    expect(validateMetricEvent({ ...good, source: null }, deny)).toMatchObject({
      ok: true,
      value: { event: { source: null } },
    });
  });

  const cases: [string, unknown, string, string | null][] = [
    ['null', null, 'NOT_AN_OBJECT', null],
    ['an array', [good], 'NOT_AN_OBJECT', null],
    ['a string', 'x', 'NOT_AN_OBJECT', null],
    ['no client_id', { payload: good.payload }, 'MISSING_FIELD', null],
    ['client_id a number', { ...good, client_id: 7 }, 'INVALID_TYPE', null],
    ['client_id null', { ...good, client_id: null }, 'INVALID_TYPE', null],
    ['client_id empty', { ...good, client_id: '' }, 'INVALID_CLIENT_ID', null],
    ['client_id with a control character', { ...good, client_id: 'a\u0007' }, 'INVALID_CLIENT_ID', null],
    ['client_id of 129 code points', { ...good, client_id: 'x'.repeat(129) }, 'INVALID_CLIENT_ID', null],
    ['source a number', { ...good, source: 1 }, 'INVALID_TYPE', 'c-1'],
    ['source empty', { ...good, source: '' }, 'INVALID_SOURCE', 'c-1'],
    ['no payload', { client_id: 'c-1' }, 'MISSING_FIELD', 'c-1'],
    ['payload an array', { ...good, payload: [] }, 'INVALID_TYPE', 'c-1'],
    ['payload null', { ...good, payload: null }, 'INVALID_TYPE', 'c-1'],
    ['no metric', without('metric'), 'MISSING_FIELD', 'c-1'],
    ['metric a number', withPayload({ metric: 5 }), 'INVALID_TYPE', 'c-1'],
    ['metric empty', withPayload({ metric: '' }), 'INVALID_METRIC', 'c-1'],
    ['no amount', without('amount'), 'MISSING_FIELD', 'c-1'],
    ['amount a string', withPayload({ amount: '100' }), 'INVALID_TYPE', 'c-1'],
    ['amount null', withPayload({ amount: null }), 'INVALID_TYPE', 'c-1'],
    ['amount 1.5', withPayload({ amount: 1.5 }), 'NOT_AN_INTEGER', 'c-1'],
    ['amount past 2^53 - 1', withPayload({ amount: 2 ** 53 }), 'AMOUNT_OUT_OF_RANGE', 'c-1'],
    ['amount below -(2^53 - 1)', withPayload({ amount: -(2 ** 53) }), 'AMOUNT_OUT_OF_RANGE', 'c-1'],
    ['amount 1e300', withPayload({ amount: 1e300 }), 'AMOUNT_OUT_OF_RANGE', 'c-1'],
    ['no timestamp', without('timestamp'), 'MISSING_FIELD', 'c-1'],
    ['timestamp a number', withPayload({ timestamp: 1_700_000_000_000 }), 'INVALID_TYPE', 'c-1'],
    [
      'timestamp without a zone',
      withPayload({ timestamp: '2026-03-01T10:00:00' }),
      'INVALID_TIMESTAMP',
      'c-1',
    ],
    ['timestamp a date only', withPayload({ timestamp: '2026-03-01' }), 'INVALID_TIMESTAMP', 'c-1'],
    ['timestamp 30 February', withPayload({ timestamp: '2026-02-30T10:00:00Z' }), 'INVALID_TIMESTAMP', 'c-1'],
    [
      'timestamp before 1900',
      withPayload({ timestamp: '1899-12-31T23:59:59.999Z' }),
      'INVALID_TIMESTAMP',
      'c-1',
    ],
    ['timestamp after 2299', withPayload({ timestamp: '2300-01-01T00:00:00Z' }), 'INVALID_TIMESTAMP', 'c-1'],
    ['simulateFailure a string', { ...good, simulateFailure: 'true' }, 'INVALID_TYPE', 'c-1'],
  ];
  it.each(cases)('rejects %s', (_what, input, reason, clientId) => {
    const r = validateMetricEvent(input, allow);
    expect(r).toMatchObject({ ok: false, reason, clientId });
    if (!r.ok) expect(r.message.length).toBeGreaterThan(0);
  });

  it('accepts the bounds of amount and of the timestamp range', () => {
    for (const amount of [0, -1, 2 ** 53 - 1, -(2 ** 53 - 1)]) {
      expect(validateMetricEvent(withPayload({ amount }), deny).ok).toBe(true);
    }
    for (const timestamp of ['1900-01-01T00:00:00.000Z', '2299-12-31T23:59:59.999Z']) {
      expect(validateMetricEvent(withPayload({ timestamp }), deny).ok).toBe(true);
    }
  });

  it('takes simulateFailure only when allowed', () => {
    expect(validateMetricEvent({ ...good, simulateFailure: true }, allow)).toMatchObject({
      ok: true,
      value: { simulateFailure: true },
    });
    expect(validateMetricEvent({ ...good, simulateFailure: true }, deny)).toMatchObject({
      ok: false,
      reason: 'SIMULATED_FAILURE_NOT_ALLOWED',
    });
    expect(validateMetricEvent({ ...good, simulateFailure: false }, deny)).toMatchObject({
      ok: true,
      value: { simulateFailure: false },
    });
  });

  it('checks fields in a fixed order: the first failed rule is the reason', () => {
    const r = validateMetricEvent({ client_id: '', payload: { amount: 'x' } }, allow);
    expect(r).toMatchObject({ ok: false, reason: 'INVALID_CLIENT_ID' });
    const s = validateMetricEvent(
      { client_id: 'c', payload: { metric: 'm', amount: 1.5, timestamp: 'nope' } },
      allow,
    );
    expect(s).toMatchObject({ ok: false, reason: 'NOT_AN_INTEGER' });
  });

  it('gives only documented reasons', () => {
    for (const [, input] of cases) {
      const r = validateMetricEvent(input, deny);
      if (!r.ok) expect(Object.keys(METRIC_FAILURE_REASONS)).toContain(r.reason);
    }
  });
});
