import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test, vi } from 'vitest';
import { startDemoMetricClients } from '../src/demo-metric-clients.ts';
import { demoAnswerLog, type Reply, startTestSystem, type TestSystem } from './system-harness.ts';

// The metric-events stream end to end over HTTP on the all-in-one process: real broker, real
// registry (Avro), embedded ClickHouse; the processor and projector of the stream.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ SHOPFLOOR_ALLOW_SIMULATED_FAILURES: '1' });
});
afterAll(async () => {
  await sys?.close();
});

const client = () => `client-${randomBytes(4).toString('hex')}`;
const t0 = Date.parse('2026-03-01T10:00:00.000Z');
const MIN = 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const event = (clientId: string, amount: number, atMs: number, over: Record<string, unknown> = {}) => ({
  client_id: clientId,
  payload: { metric: 'clicks', amount, timestamp: iso(atMs) },
  ...over,
});

async function send(path: string, body: unknown): Promise<Reply<any>> {
  const res = await fetch(`${sys.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json(), headers: res.headers };
}
const aggregates = async (clientId: string, fromMs: number, toMs: number, by = '') =>
  (await sys.get(`/aggregates?client_id=${clientId}&from=${iso(fromMs)}&to=${iso(toMs)}${by}`)).body;

describe('metric events over HTTP', () => {
  test('a new event is processed (201), an identical one is a duplicate with the same id (200), counted once', async () => {
    const c = client();
    const first = await send('/events', event(c, 7, t0));
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ status: 'processed', duplicate: false });
    const again = await send('/events', event(c, 7, t0 + 0, { source: 'retry' }));
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'processed', duplicate: true });
    expect(await aggregates(c, t0, t0 + 1)).toMatchObject({
      client_id: c,
      count: 1,
      totalAmount: 7,
      totalAmountExact: '7',
    });
  });

  test('an invalid event is 422 with its reason and is listed among the failed events', async () => {
    const c = client();
    const res = await send('/events', {
      client_id: c,
      payload: { metric: 'm', amount: 1.5, timestamp: iso(t0) },
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ status: 'rejected', reason: 'NOT_AN_INTEGER' });
    const failed = await waitFor(
      async () => (await sys.get(`/events/failed?client_id=${c}`)).body,
      (b) => b.events.length === 1,
    );
    expect(failed.events[0]).toMatchObject({
      client_id: c,
      reason: 'NOT_AN_INTEGER',
      payload: { client_id: c },
    });
  });

  test('a simulated failure is recorded as failed and never counted; the same event without the flag is then processed', async () => {
    const c = client();
    const failed = await send('/events', event(c, 11, t0, { simulateFailure: true }));
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ status: 'failed', reason: 'SIMULATED_FAILURE' });
    expect(await aggregates(c, t0 - MIN, t0 + MIN)).toMatchObject({ count: 0, totalAmount: 0 });
    const listed = (await sys.get(`/events/failed?client_id=${c}`)).body;
    expect(listed.events).toEqual([
      expect.objectContaining({ id: failed.body.id, reason: 'SIMULATED_FAILURE' }),
    ]);
    const retried = await send('/events', event(c, 11, t0));
    expect(retried.status).toBe(201);
    expect(retried.body).toMatchObject({ id: failed.body.id, status: 'processed', duplicate: false });
    expect(await aggregates(c, t0 - MIN, t0 + MIN)).toMatchObject({ count: 1, totalAmount: 11 });
  });

  test('aggregates over [from, to) are exact at the millisecond bounds, also per metric', async () => {
    const c = client();
    const res = await send('/events/batch-metrics', [
      event(c, 1000, t0 - 1),
      event(c, 1, t0),
      event(c, 2, t0 + MIN - 1, { payload: { metric: 'views', amount: 2, timestamp: iso(t0 + MIN - 1) } }),
      event(c, 4, t0 + 2 * MIN + 7),
      event(c, 8, t0 + 5 * MIN - 1),
      event(c, 16, t0 + 5 * MIN),
      event(c, 1, t0), // a duplicate inside the request
    ]);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processed: 6, duplicates: 1, failed: 0, rejected: 0, pending: 0 });
    expect(await aggregates(c, t0, t0 + 5 * MIN)).toMatchObject({ count: 4, totalAmount: 15 });
    expect(await aggregates(c, t0 + 1, t0 + 5 * MIN - 1)).toMatchObject({ count: 2, totalAmount: 6 });
    expect(await aggregates(c, t0 - 1, t0 + 5 * MIN + 1)).toMatchObject({ count: 6, totalAmount: 1031 });
    const byMetric = await aggregates(c, t0, t0 + 5 * MIN, '&by=metric');
    expect(byMetric.metrics).toEqual([
      { metric: 'clicks', count: 3, totalAmount: 13, totalAmountExact: '13' },
      { metric: 'views', count: 1, totalAmount: 2, totalAmountExact: '2' },
    ]);
    expect((await sys.get(`/aggregates?client_id=${c}&from=${iso(t0)}&to=${iso(t0 - 1)}`)).status).toBe(400);
  });

  test('processed events are listed newest first, page after page through the cursor', async () => {
    const c = client();
    const res = await send(
      '/events/batch-metrics',
      Array.from({ length: 5 }, (_, i) => event(c, i + 1, t0 + i * 1000)),
    );
    expect(res.body.processed).toBe(5);
    const amounts: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Reply<any> = await sys.get(
        `/events/processed?client_id=${c}&limit=2${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      amounts.push(...page.body.events.map((e: { payload: { amount: number } }) => e.payload.amount));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(amounts).toEqual([5, 4, 3, 2, 1]);
    const windowed = await sys.get(
      `/events/processed?client_id=${c}&from=${iso(t0 + 1000)}&to=${iso(t0 + 3000)}`,
    );
    expect(windowed.body.events.map((e: { payload: { amount: number } }) => e.payload.amount)).toEqual([
      3, 2,
    ]);
    expect((await sys.get('/events/processed?cursor=nope')).status).toBe(400);
  });

  test('the routes are in the OpenAPI document', async () => {
    const doc = (await sys.get('/openapi.json')).body;
    for (const path of [
      '/events',
      '/events/batch-metrics',
      '/events/processed',
      '/events/failed',
      '/aggregates',
    ]) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });
});

async function waitFor<T>(read: () => Promise<T>, done: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (done(v) || Date.now() > until) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe("the start command's demo metric clients (SHOPFLOOR_DEMO)", () => {
  test('their events are processed or deduped, never rejected, and show in the totals', async () => {
    const prefix = client();
    const { log, answers } = demoAnswerLog();
    const demo = startDemoMetricClients({ baseUrl: sys.url, log, intervalMs: 20, prefix });
    try {
      await vi.waitFor(() => expect(answers().length).toBeGreaterThanOrEqual(3), { timeout: 60_000 });
    } finally {
      demo.stop();
    }
    for (const a of answers()) {
      expect(a).toMatchObject({ rejected: 0, failed: 0, pending: 0 });
      expect(a.processed! + a.duplicates!).toBeGreaterThanOrEqual(6);
    }
    const now = Date.now();
    const totals = (await aggregates(`${prefix}-1`, now - 3_600_000, now + 60_000, '&by=metric')) as Record<
      string,
      any
    >;
    // Every tick sends each client one event per metric: all three are counted, none twice.
    expect(totals.metrics.map((m: { metric: string }) => m.metric).sort()).toEqual([
      'energy_wh',
      'scrap_units',
      'units_produced',
    ]);
    const counts = totals.metrics.map((m: { count: number }) => m.count);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(totals.count).toBe(counts.reduce((a: number, b: number) => a + b, 0));
  }, 120_000);
});
