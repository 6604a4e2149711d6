import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalIdentityText, isMetricEventId, metricEventId } from './metric-event-identity.ts';
import { validateMetricEvent } from './metric-event-validation.ts';

const base = {
  clientId: 'c-1',
  metric: 'page_views',
  amount: 42,
  timestampMs: Date.UTC(2026, 2, 1, 10, 0, 0, 5),
};
const idOf = (input: unknown) => {
  const r = validateMetricEvent(input, { allowSimulatedFailures: true });
  if (!r.ok) throw new Error(r.message);
  return r.value.id;
};
const post = (timestamp: string, over: Record<string, unknown> = {}) => ({
  client_id: 'c-1',
  payload: { metric: 'page_views', amount: 42, timestamp },
  ...over,
});

describe('canonicalIdentityText', () => {
  it('is client_id|metric|amount|timestamp with the timestamp in UTC, ms precision', () => {
    expect(canonicalIdentityText(base)).toBe('c-1|page_views|42|2026-03-01T10:00:00.005Z');
  });

  it('writes the amount as a plain decimal integer, negative and large ones included', () => {
    expect(canonicalIdentityText({ ...base, amount: -7 })).toBe('c-1|page_views|-7|2026-03-01T10:00:00.005Z');
    expect(canonicalIdentityText({ ...base, amount: 9007199254740991 })).toContain('|9007199254740991|');
    expect(canonicalIdentityText({ ...base, amount: -9007199254740991 }).split('|')[2]).toBe(
      '-9007199254740991',
    );
  });

  it('escapes | and \\ so that different fields never give the same text', () => {
    const a = canonicalIdentityText({ ...base, clientId: 'a|b', metric: 'c' });
    const b = canonicalIdentityText({ ...base, clientId: 'a', metric: 'b|c' });
    expect(a).not.toBe(b);
    expect(a.startsWith('a\\|b|c|')).toBe(true);
    const c = canonicalIdentityText({ ...base, clientId: 'a\\', metric: '|c' });
    const d = canonicalIdentityText({ ...base, clientId: 'a\\|', metric: 'c' });
    expect(c).not.toBe(d);
  });
});

describe('metricEventId', () => {
  it('is the SHA-256 hex of the canonical text', () => {
    const expected = createHash('sha256').update('c-1|page_views|42|2026-03-01T10:00:00.005Z').digest('hex');
    expect(metricEventId(base)).toBe(expected);
    expect(isMetricEventId(expected)).toBe(true);
    expect(isMetricEventId(expected.toUpperCase())).toBe(false);
  });

  it('is the same for every way of writing one instant', () => {
    const forms = [
      '2026-03-01T10:00:00.005Z',
      '2026-03-01t10:00:00.005z',
      '2026-03-01T11:00:00.005+01:00',
      '2026-03-01T05:30:00.005-0430',
      '2026-03-01T10:00:00.0050Z',
      '2026-03-01T10:00:00.005999Z', // digits past the millisecond are truncated
    ];
    const ids = new Set(forms.map((t) => idOf(post(t))));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toBe(metricEventId(base));
  });

  it('changes with client_id, metric, amount and timestamp (to the ms), and ignores source and simulateFailure', () => {
    const id = idOf(post('2026-03-01T10:00:00.005Z'));
    expect(idOf(post('2026-03-01T10:00:00.006Z'))).not.toBe(id);
    expect(idOf({ ...post('2026-03-01T10:00:00.005Z'), client_id: 'c-2' })).not.toBe(id);
    expect(
      idOf({
        client_id: 'c-1',
        payload: { metric: 'clicks', amount: 42, timestamp: '2026-03-01T10:00:00.005Z' },
      }),
    ).not.toBe(id);
    expect(
      idOf({
        client_id: 'c-1',
        payload: { metric: 'page_views', amount: 43, timestamp: '2026-03-01T10:00:00.005Z' },
      }),
    ).not.toBe(id);
    expect(idOf(post('2026-03-01T10:00:00.005Z', { source: 'web' }))).toBe(id);
    expect(idOf(post('2026-03-01T10:00:00.005Z', { simulateFailure: true }))).toBe(id);
    expect(idOf(post('2026-03-01T10:00:00.005Z', { extra: 1 }))).toBe(id);
  });
});
