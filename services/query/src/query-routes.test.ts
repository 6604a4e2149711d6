import type { ClickHouseReader, Row, StatementOptions } from '@shopfloor/clickhouse';
import type { HttpApp } from '@shopfloor/http-kit';
import { createShopfloorMetrics } from '@shopfloor/metrics';
import { parsePrometheusText, sumOf } from '@shopfloor/metrics/testing';
import { afterEach, describe, expect, test } from 'vitest';
import { buildQueryApp } from './app.ts';

// The query routes with a fake of their one port, the ClickHouse Reader: it answers by the table a
// statement reads and records the parameters, so these tests need no ClickHouse. What the SQL
// computes is tested against the real engine in packages/clickhouse.

type Call = { sql: string; params: Record<string, unknown> };

function fakeReader(answer: (sql: string) => Row[] | Error): ClickHouseReader & { calls: Call[] } {
  const calls: Call[] = [];
  return {
    mode: 'embedded',
    calls,
    async query(sql: string, options: StatementOptions = {}) {
      calls.push({ sql, params: options.params ?? {} });
      const rows = answer(sql);
      if (rows instanceof Error) throw rows;
      return rows;
    },
  };
}

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function queryApp(reader: ClickHouseReader) {
  const app = await buildQueryApp({ reader });
  apps.push(app);
  return app;
}

const get = async (app: HttpApp, url: string) => {
  const res = await app.inject({ method: 'GET', url });
  return { status: res.statusCode, headers: res.headers, body: res.json() };
};

describe('GET /stats', () => {
  test('answers the machine stats of the window, echoing start and end as sent', async () => {
    const reader = fakeReader(() => [{ eventsCount: 4, defectsCount: 6 }]);
    const r = await get(
      await queryApp(reader),
      '/stats?machineId=M-1&start=2026-03-01T10:00:00Z&end=2026-03-01T12:00:00.000Z',
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      machineId: 'M-1',
      start: '2026-03-01T10:00:00Z',
      end: '2026-03-01T12:00:00.000Z',
      eventsCount: 4,
      defectsCount: 6,
      avgDefectRate: 3,
      status: 'Warning',
    });
    expect(reader.calls[0]?.params).toMatchObject({ machineId: 'M-1' });
  });

  test('an empty window is answered without asking the store', async () => {
    const reader = fakeReader(() => []);
    const r = await get(
      await queryApp(reader),
      '/stats?machineId=M-1&start=2026-03-01T10:00:00Z&end=2026-03-01T10:00:00Z',
    );
    expect(r.body).toMatchObject({ eventsCount: 0, defectsCount: 0, avgDefectRate: 0, status: 'Healthy' });
    expect(reader.calls).toEqual([]);
  });

  test('bad parameters are 400 INVALID_QUERY naming them', async () => {
    const app = await queryApp(fakeReader(() => []));
    const missing = await get(app, '/stats?start=2026-03-01T00:00:00Z');
    expect(missing.status).toBe(400);
    expect(missing.body.code).toBe('INVALID_QUERY');
    expect(missing.body.message).toMatch(/machineId is required.*end is required/);
    const inverted = await get(app, '/stats?machineId=M&start=2026-03-02T00:00:00Z&end=2026-03-01T00:00:00Z');
    expect(inverted.body).toEqual({ code: 'INVALID_QUERY', message: 'end must not be before start' });
  });

  test('a store that fails is 503 CLICKHOUSE_UNAVAILABLE with its Retry-After', async () => {
    const app = await queryApp(fakeReader(() => new Error('connection refused')));
    const r = await get(app, '/stats?machineId=M&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z');
    expect(r.status).toBe(503);
    expect(r.headers['retry-after']).toBe('2');
    expect(r.body).toEqual({
      code: 'CLICKHOUSE_UNAVAILABLE',
      message: 'The statistics store failed: connection refused',
    });
  });
});

describe('GET /stats/top-defect-lines', () => {
  test('adds defectsPercent to the counted lines; limit defaults to 10', async () => {
    const reader = fakeReader(() => [
      { lineId: 'L-2', totalDefects: 1, eventCount: 3 },
      { lineId: 'L-1', totalDefects: 0, eventCount: 2 },
    ]);
    const r = await get(
      await queryApp(reader),
      '/stats/top-defect-lines?factoryId=F-1&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z',
    );
    expect(r.status).toBe(200);
    expect(r.body).toEqual([
      { lineId: 'L-2', totalDefects: 1, eventCount: 3, defectsPercent: 33.33 },
      { lineId: 'L-1', totalDefects: 0, eventCount: 2, defectsPercent: 0 },
    ]);
    expect(reader.calls[0]?.params).toMatchObject({ factoryId: 'F-1', limit: 10 });
  });

  test('limit out of range is 400 INVALID_QUERY', async () => {
    const r = await get(
      await queryApp(fakeReader(() => [])),
      '/stats/top-defect-lines?factoryId=F&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z&limit=0',
    );
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/limit/);
  });
});

describe('GET /events/batch/:batchId', () => {
  const recorded = (overrides: Row = {}): Row[] => [
    {
      batchSize: 4,
      recorded: 4,
      accepted: 1,
      deduped: 1,
      updated: 0,
      stale: 1,
      rejected: 1,
      rejections: [[2, null, 'INVALID_ID']],
      ...overrides,
    },
  ];

  test('a complete batch counts stale as deduped and lists the rejections', async () => {
    const reader = fakeReader(() => recorded());
    const r = await get(await queryApp(reader), '/events/batch/b-1');
    expect(r.body).toEqual({
      batchId: 'b-1',
      status: 'complete',
      events: 4,
      recorded: 4,
      accepted: 1,
      deduped: 2,
      updated: 0,
      rejected: 1,
      rejections: [{ eventId: null, reason: 'INVALID_ID' }],
    });
    expect(reader.calls[0]?.params).toEqual({ batchId: 'b-1' });
  });

  test('a batch not fully recorded is pending; an unknown one has no size', async () => {
    const app = await queryApp(fakeReader(() => recorded({ recorded: 3, stale: 0 })));
    expect((await get(app, '/events/batch/b-1')).body).toMatchObject({ status: 'pending', recorded: 3 });
    const none = await queryApp(
      fakeReader(() =>
        recorded({
          recorded: 0,
          batchSize: 0,
          accepted: 0,
          deduped: 0,
          stale: 0,
          rejected: 0,
          rejections: [],
        }),
      ),
    );
    expect((await get(none, '/events/batch/nope')).body).toMatchObject({
      status: 'pending',
      events: null,
      recorded: 0,
    });
  });
});

describe('GET /dead-letters', () => {
  test('lists dead letters with receivedAt as an ISO instant; limit defaults to 100', async () => {
    const deadLetter = {
      batchId: 'b-1',
      seq: 1,
      eventId: 'e-2',
      reason: 'INVALID_DURATION',
      message: 'durationMs is -1',
      payload: '{"durationMs":-1}',
    };
    const reader = fakeReader(() => [{ ...deadLetter, receivedAt: Date.parse('2026-03-01T10:00:00Z') }]);
    const r = await get(await queryApp(reader), '/dead-letters');
    expect(r.body).toEqual([{ ...deadLetter, receivedAt: '2026-03-01T10:00:00.000Z' }]);
    expect(reader.calls[0]?.params).toEqual({ limit: 100 });
  });
});

test('an unknown route is 404 NOT_FOUND', async () => {
  const r = await get(await queryApp(fakeReader(() => [])), '/nope');
  expect(r).toMatchObject({ status: 404, body: { code: 'NOT_FOUND' } });
});

describe('GET /metrics (with a metrics registry)', () => {
  test('times every query route by its pattern, method and status', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    const app = await buildQueryApp({ reader: fakeReader(() => new Error('ClickHouse is down')), metrics });
    apps.push(app);
    expect(
      (await get(app, '/stats?machineId=M-1&start=2026-01-01T00:00:00Z&end=2026-01-02T00:00:00Z')).status,
    ).toBe(503);
    expect((await get(app, '/stats?machineId=M-1')).status).toBe(400);
    const samples = parsePrometheusText((await app.inject({ method: 'GET', url: '/metrics' })).body);
    const count = (status_code: string) =>
      sumOf(samples, 'shopfloor_http_request_duration_seconds_count', {
        route: '/stats',
        method: 'GET',
        status_code,
      });
    expect([count('503'), count('400')]).toEqual([1, 1]);
  });
});
