import type { TimeRange } from '@shopfloor/clickhouse';
import { installErrorHandling } from '@shopfloor/http-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { dashboardRoutes } from './dashboard-plugin.ts';
import type { DashboardPorts } from './dashboard-ports.ts';
import type { DashboardSnapshot } from './snapshot-types.ts';

const NOW = Date.UTC(2026, 2, 1, 10, 30, 25, 500);
const MIN = 60_000;

/** Fakes that record what they were asked and answer fixed data. */
function fakePorts(overrides: Partial<DashboardPorts> = {}) {
  const calls: { port: string; args: unknown[] }[] = [];
  const record =
    <A extends unknown[], R>(port: string, answer: (...args: A) => R) =>
    async (...args: A) => {
      calls.push({ port, args });
      return answer(...args);
    };
  const ports: DashboardPorts = {
    outcomeTotals: record('outcomeTotals', () => [
      { decision: 'accepted', reason: '', events: 40 },
      { decision: 'rejected', reason: 'INVALID_DURATION', events: 3 },
      { decision: 'deduped', reason: '', events: 5 },
      { decision: 'stale', reason: '', events: 2 },
      { decision: 'updated', reason: '', events: 4 },
      { decision: 'rejected', reason: 'FUTURE_EVENT_TIME', events: 1 },
    ]),
    outcomeBuckets: record('outcomeBuckets', (range: TimeRange) => [
      // 12 accepted in each of the six full buckets before the current one: 72 / 60 s = 1.2/s.
      ...Array.from({ length: 6 }, (_, i) => ({
        bucketMs: range.toMs - (i + 2) * 10_000,
        decision: 'accepted',
        reason: '',
        events: 12,
      })),
      { bucketMs: range.toMs - 10_000, decision: 'rejected', reason: 'INVALID_DURATION', events: 9 },
    ]),
    machines: record('machines', () => [
      { machineId: 'M-2', eventsCount: 10, defectsCount: 2 },
      { machineId: 'M-1', eventsCount: 7, defectsCount: 1 },
    ]),
    factoryIds: record('factoryIds', () => ['F-1', 'F-2']),
    topDefectLines: record('topDefectLines', (factoryId: string) =>
      factoryId === 'F-1'
        ? [{ lineId: 'L-1', totalDefects: 1, eventCount: 3 }]
        : [{ lineId: 'L-9', totalDefects: 5, eventCount: 8 }],
    ),
    deadLetters: record('deadLetters', () => [
      {
        batchId: 'b-1',
        seq: 2,
        eventId: 'E-3',
        reason: 'INVALID_DURATION',
        message: 'durationMs must be between 0 and 6 h',
        payload: '{"eventId":"E-3"}',
        receivedAt: NOW - 5_000,
      },
    ]),
    consumerLag: record('consumerLag', () => [
      {
        groupId: 'dedupe',
        totalLag: 2,
        partitions: [{ topic: 'events.raw', partition: 0, committedOffset: 8, logEndOffset: 10, lag: 2 }],
      },
    ]),
    ...overrides,
  };
  return { ports, calls };
}

let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function start(ports: DashboardPorts) {
  app = Fastify();
  installErrorHandling(app);
  await app.register(dashboardRoutes, { ports, now: () => NOW, refreshMs: 2_000 });
  return app;
}

async function snapshot(a: FastifyInstance, query = '') {
  const res = await a.inject({ method: 'GET', url: `/dashboard/api/snapshot${query}` });
  expect(res.statusCode).toBe(200);
  return res.json() as DashboardSnapshot;
}

describe('the dashboard page', () => {
  it('redirects / to /dashboard and serves the page, its script and its stylesheet', async () => {
    const a = await start(fakePorts().ports);
    const root = await a.inject({ method: 'GET', url: '/' });
    expect(root.statusCode).toBe(302);
    expect(root.headers.location).toBe('/dashboard');
    const page = await a.inject({ method: 'GET', url: '/dashboard' });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<script type="module" src="/dashboard/app.js">');
    const js = await a.inject({ method: 'GET', url: '/dashboard/app.js' });
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    // The bundle carries preact and the page code: no import left for the browser to fetch.
    expect(js.body).toContain('Top defect lines');
    expect(js.body).not.toMatch(/\bimport\s*["'{*]/);
    const css = await a.inject({ method: 'GET', url: '/dashboard/app.css' });
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.body).toContain('.grid');
  });
});

describe('GET /dashboard/api/snapshot', () => {
  it('reads a whole-minute window ending after the current minute, one hour by default', async () => {
    const { ports, calls } = fakePorts();
    const s = await snapshot(await start(ports));
    const end = Date.UTC(2026, 2, 1, 10, 31);
    expect(s.window).toEqual({
      key: '1h',
      start: new Date(end - 60 * MIN).toISOString(),
      end: new Date(end).toISOString(),
    });
    expect(calls.find((c) => c.port === 'machines')?.args).toEqual([
      { fromMs: end - 60 * MIN, toMs: end },
      50,
    ]);
    // The chart: the 30 ten-second buckets up to and including the current one.
    const chartEnd = Date.UTC(2026, 2, 1, 10, 30, 30);
    expect(calls.find((c) => c.port === 'outcomeBuckets')?.args).toEqual([
      { fromMs: chartEnd - 300_000, toMs: chartEnd },
    ]);
    const s15 = await snapshot(app!, '?window=15m');
    expect(Date.parse(s15.window.end) - Date.parse(s15.window.start)).toBe(15 * MIN);
    expect(s.refreshMs).toBe(2_000);
  });

  it('counts outcomes as the API does (stale as deduped), rates over the last full minute, reasons', async () => {
    const s = await snapshot(await start(fakePorts().ports));
    if (!s.ingest.ok || !s.rejections.ok) throw new Error('sections failed');
    expect(s.ingest.data.totals).toEqual({ accepted: 40, deduped: 7, updated: 4, rejected: 4 });
    expect(s.ingest.data.perSecond).toEqual({ accepted: 1.2, deduped: 0, updated: 0, rejected: 0 });
    expect(s.ingest.data.buckets).toHaveLength(30);
    expect(s.ingest.data.buckets.at(-1)).toMatchObject({ rejected: 9, accepted: 0 });
    expect(s.ingest.data.buckets.reduce((sum, b) => sum + b.accepted, 0)).toBe(72);
    expect(s.rejections.data).toEqual([
      { reason: 'INVALID_DURATION', events: 3 },
      { reason: 'FUTURE_EVENT_TIME', events: 1 },
    ]);
  });

  it('gives machines their rate and health over the window, and dead letters without payload', async () => {
    const s = await snapshot(await start(fakePorts().ports), '?window=15m');
    // 2 defects in 15 min = 8/h: Warning; 1 in 15 min = 4/h: Warning too; over 1 h, 2/h and 1/h.
    expect(s.machines).toEqual({
      ok: true,
      data: [
        { machineId: 'M-2', eventsCount: 10, defectsCount: 2, avgDefectRate: 8, status: 'Warning' },
        { machineId: 'M-1', eventsCount: 7, defectsCount: 1, avgDefectRate: 4, status: 'Warning' },
      ],
    });
    const hour = await snapshot(app!, '?window=1h');
    expect(hour.machines.ok && hour.machines.data.map((m) => m.status)).toEqual(['Warning', 'Healthy']);
    expect(s.deadLetters).toEqual({
      ok: true,
      data: [
        {
          batchId: 'b-1',
          seq: 2,
          eventId: 'E-3',
          reason: 'INVALID_DURATION',
          message: 'durationMs must be between 0 and 6 h',
          receivedAt: new Date(NOW - 5_000).toISOString(),
        },
      ],
    });
    expect(s.lag.ok && s.lag.data[0]?.totalLag).toBe(2);
  });

  it('shows the first factory by default and the one asked for, with defectsPercent', async () => {
    const a = await start(fakePorts().ports);
    expect((await snapshot(a)).factories).toEqual({
      ok: true,
      data: {
        ids: ['F-1', 'F-2'],
        selected: 'F-1',
        topLines: [{ lineId: 'L-1', totalDefects: 1, eventCount: 3, defectsPercent: 33.33 }],
      },
    });
    const f2 = await snapshot(a, '?factoryId=F-2');
    expect(f2.factories.ok && f2.factories.data.selected).toBe('F-2');
    expect(f2.factories.ok && f2.factories.data.topLines[0]?.lineId).toBe('L-9');
  });

  it('reports a failing port in its own section and still answers the others', async () => {
    const { ports } = fakePorts({
      consumerLag: async () => {
        throw new Error('broker down');
      },
      outcomeTotals: async () => {
        throw new Error('store down');
      },
    });
    const s = await snapshot(await start(ports));
    expect(s.lag).toEqual({ ok: false, error: 'broker down' });
    expect(s.ingest).toEqual({ ok: false, error: 'store down' });
    expect(s.rejections).toEqual({ ok: false, error: 'store down' });
    expect(s.machines.ok).toBe(true);
    expect(s.factories.ok).toBe(true);
  });

  it('refuses an unknown window or an invalid factory id with 400 INVALID_QUERY', async () => {
    const a = await start(fakePorts().ports);
    for (const query of ['?window=2h', `?factoryId=${'x'.repeat(129)}`, '?factoryId=']) {
      const res = await a.inject({ method: 'GET', url: `/dashboard/api/snapshot${query}` });
      expect(res.statusCode, query).toBe(400);
      expect(res.json().code).toBe('INVALID_QUERY');
    }
  });
});
