import { createKey, type KeyEvent, KeyRing } from '@shopfloor/auth';
import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { createHttpApp } from '@shopfloor/http-kit';
import type { AlertResolutionRecord } from '@shopfloor/sensors';
import { describe, expect, test } from 'vitest';
import { createAlertResolver } from './alert-resolution.ts';
import { alertRoutes } from './alert-routes.ts';

const ALERT = '0123456789abcdef0123456789abcdef';
const t0 = Date.parse('2026-03-01T10:00:00Z');

/** A fake of ClickHouse holding some alerts and the resolutions "projected" so far. */
function store(alerts: string[]) {
  const resolutions: AlertResolutionRecord[] = [];
  const reader: ClickHouseReader = {
    mode: 'embedded',
    async query(_sql, options) {
      const id = (options?.params as { alertId: string }).alertId;
      const first = resolutions
        .filter((r) => r.alertId === id)
        .sort((a, b) => a.resolvedAt - b.resolvedAt)[0];
      return [
        {
          found: alerts.includes(id) ? 1 : 0,
          resolvedBy: first?.resolvedBy ?? null,
          note: first?.note ?? null,
          resolvedAtMs: first?.resolvedAt ?? null,
        },
      ];
    },
  };
  return { reader, resolutions };
}

async function app(alerts: string[], keys?: KeyRing) {
  const s = store(alerts);
  const written: AlertResolutionRecord[] = [];
  const resolve = createAlertResolver({
    reader: s.reader,
    waitMs: 2_000,
    now: () => t0 + written.length,
    // The log, then the projector a little later.
    write: async (record) => {
      written.push(record);
      setTimeout(() => s.resolutions.push(record), 30);
    },
  });
  const http = createHttpApp(keys ? { keys } : {});
  await http.register(alertRoutes, { resolve });
  const patch = (id: string, body?: object, headers: Record<string, string> = {}) =>
    http.inject({
      method: 'PATCH',
      url: `/api/alerts/${id}/resolve`,
      headers,
      ...(body ? { payload: body } : {}),
    });
  return { patch, written };
}

describe('PATCH /api/alerts/:id/resolve', () => {
  test('resolves once: the second call answers the same resolution and writes nothing', async () => {
    const { patch, written } = await app([ALERT]);
    const first = await patch(ALERT, { note: 'bearing replaced' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      alertId: ALERT,
      status: 'RESOLVED',
      resolvedBy: 'anonymous',
      note: 'bearing replaced',
      resolvedAt: new Date(t0).toISOString(),
    });
    const second = await patch(ALERT, { note: 'another note' });
    expect(second.json()).toEqual(first.json());
    expect(written).toHaveLength(1);
  });

  test('two requests at once share one write', async () => {
    const { patch, written } = await app([ALERT]);
    const [a, b] = await Promise.all([patch(ALERT), patch(ALERT, { note: 'x' })]);
    expect(a.json()).toEqual(b.json());
    expect(a.json()).toMatchObject({ note: null });
    expect(written).toHaveLength(1);
  });

  test('an unknown alert is 404 and writes nothing', async () => {
    const { patch, written } = await app([ALERT]);
    const r = await patch('ffffffffffffffffffffffffffffffff');
    expect(r.statusCode).toBe(404);
    expect(r.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect(written).toEqual([]);
  });
});

describe('PATCH /api/alerts/:id/resolve with API keys', () => {
  test('an operator key resolves and is recorded as the resolver; a machine key may not', async () => {
    const events: KeyEvent[] = [];
    const keyLog = { append: async (e: KeyEvent) => void events.push(e), readAll: async () => events };
    const operator = await createKey(keyLog, { role: 'operator', factories: '*' });
    const machine = await createKey(keyLog, { role: 'machine', factories: '*' });
    const keys = new KeyRing();
    for (const e of events) keys.apply(e);
    const { patch, written } = await app([ALERT], keys);
    expect((await patch(ALERT)).statusCode).toBe(401);
    expect((await patch(ALERT, undefined, { 'x-api-key': machine.token })).statusCode).toBe(403);
    const r = await patch(ALERT, undefined, { 'x-api-key': operator.token });
    expect(r.json()).toMatchObject({ status: 'RESOLVED', resolvedBy: operator.keyId });
    expect(written).toEqual([expect.objectContaining({ resolvedBy: operator.keyId })]);
  }, 30_000);
});
