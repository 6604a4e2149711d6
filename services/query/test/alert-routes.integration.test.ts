import { insertSensorAlertResolutions, insertSensorAlerts, type SensorAlertRow } from '@shopfloor/clickhouse';
import { sampleSensorAlertRow } from '@shopfloor/clickhouse/testing';
import { registeredRoutes } from '@shopfloor/http-kit';
import { beforeAll, describe, expect, test } from 'vitest';
import { queryAppForFile } from './query-app-for-file.ts';

// The alert routes against the embedded ClickHouse: cursor pages across the whole history without
// gaps or repeats (also while alerts are inserted between pages), filters, the open CRITICAL list,
// and the OpenAPI document listing every sensor route. Expected answers are computed here from the
// alerts inserted.

const t0 = Date.parse('2026-03-02T08:00:00Z');
const SEC = 1_000;
const iso = (ms: number) => new Date(ms).toISOString();
const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;

const { db, app, get } = queryAppForFile();

type Answer = { alertId: string; equipmentId: string; severity: string; status: string; raisedAt: string };

// Temperature alerts: the filters and pages below look at ids, equipment, severity and times only.
const alert = (
  alertId: string,
  equipmentId: string,
  severity: SensorAlertRow['severity'],
  raisedAt: number,
) =>
  sampleSensorAlertRow(alertId, equipmentId, severity, raisedAt, {
    readingId: `R-${alertId}`,
    sensorType: 'temperature',
    unit: 'celsius',
  });

// 23 alerts, three to a raisedAt (ties ordered by id), ids not in time order; a third resolved.
const stored = Array.from({ length: 23 }, (_, i) =>
  alert(
    `al-${String((i * 7) % 23).padStart(2, '0')}`,
    i % 2 ? 'P-1' : 'P-2',
    SEVERITIES[i % 3]!,
    t0 + Math.floor(i / 3) * SEC,
  ),
);
const resolvedIds = new Set(stored.filter((_, i) => i % 3 === 1).map((a) => a.alertId));

/** The API's order: newest raisedAt first, ties by alertId ascending. */
const newestFirst = (rows: SensorAlertRow[]) =>
  [...rows]
    .sort((a, b) => b.receivedAt - a.receivedAt || (a.alertId < b.alertId ? -1 : 1))
    .map((a) => a.alertId);

async function allPages(
  query: string,
  limit: number,
  from: string | null = null,
): Promise<{ ids: string[]; pages: number }> {
  const ids: string[] = [];
  let cursor = from;
  let pages = 0;
  do {
    const r = await get(`/api/alerts/history?limit=${limit}${query}${cursor ? `&cursor=${cursor}` : ''}`);
    expect(r.status).toBe(200);
    expect(r.body.alerts.length).toBeLessThanOrEqual(limit);
    ids.push(...r.body.alerts.map((a: Answer) => a.alertId));
    cursor = r.body.nextCursor;
    pages += 1;
    expect(pages).toBeLessThan(100);
  } while (cursor);
  return { ids, pages };
}

beforeAll(async () => {
  await insertSensorAlerts(db.ch.writer, stored);
  await insertSensorAlertResolutions(
    db.ch.writer,
    [...resolvedIds].map((alertId) => ({
      alertId,
      resolvedBy: 'ops',
      note: `checked ${alertId}`,
      resolvedAt: t0 + 60 * SEC,
    })),
  );
});

describe('GET /api/alerts/history', () => {
  test('pages through every alert newest first, without gaps or repeats', async () => {
    const { ids, pages } = await allPages('', 5);
    expect(ids).toEqual(newestFirst(stored));
    expect(pages).toBe(Math.ceil(stored.length / 5));
    const single = await get('/api/alerts/history?limit=500');
    expect(single.body.nextCursor).toBeNull();
    expect(single.body.alerts.map((a: Answer) => a.alertId)).toEqual(ids);
  });

  test('a resolved alert carries its resolution; the answer has the alert fields', async () => {
    const { body } = await get(`/api/alerts/history?status=RESOLVED&limit=1`);
    const first = body.alerts[0];
    expect(resolvedIds.has(first.alertId)).toBe(true);
    expect(first.resolution).toEqual({
      resolvedBy: 'ops',
      note: `checked ${first.alertId}`,
      resolvedAt: iso(t0 + 60 * SEC),
    });
  });

  test.each([
    ['&equipmentId=P-2', (a: SensorAlertRow) => a.equipmentId === 'P-2'],
    ['&severity=CRITICAL', (a: SensorAlertRow) => a.severity === 'CRITICAL'],
    ['&status=OPEN', (a: SensorAlertRow) => !resolvedIds.has(a.alertId)],
    [
      '&status=RESOLVED&equipmentId=P-1',
      (a: SensorAlertRow) => resolvedIds.has(a.alertId) && a.equipmentId === 'P-1',
    ],
    [
      `&from=${iso(t0 + 2 * SEC)}&to=${iso(t0 + 5 * SEC)}`,
      (a: SensorAlertRow) => a.receivedAt >= t0 + 2 * SEC && a.receivedAt < t0 + 5 * SEC,
    ],
  ])('filter %s, in pages of 2', async (query, keep) => {
    const expected = newestFirst(stored.filter(keep));
    expect(expected.length).toBeGreaterThan(0);
    expect((await allPages(query, 2)).ids).toEqual(expected);
  });

  test('alerts inserted between pages shift nothing: no repeat, no gap; older ones come later', async () => {
    const before = newestFirst(stored);
    const first = await get('/api/alerts/history?limit=4');
    const second = await get(`/api/alerts/history?limit=4&cursor=${first.body.nextCursor}`);
    const seen = [...first.body.alerts, ...second.body.alerts].map((a: Answer) => a.alertId);
    expect(seen).toEqual(before.slice(0, 8));
    const newer = [
      alert('zz-new-1', 'P-1', 'LOW', t0 + 600 * SEC),
      alert('zz-new-2', 'P-2', 'CRITICAL', t0 + 601 * SEC),
    ];
    const older = alert('aa-old', 'P-1', 'MEDIUM', t0 - 600 * SEC);
    // A tie with an alert already answered, its id after it: it belongs to the part not yet read.
    const lastSeen = stored.find((a) => a.alertId === seen.at(-1))!;
    const tie = alert(`${lastSeen.alertId}-tie`, 'P-2', 'LOW', lastSeen.receivedAt);
    await insertSensorAlerts(db.ch.writer, [...newer, older, tie, stored[0]!]);
    const rest = await allPages('', 4, second.body.nextCursor);
    expect([...seen, ...rest.ids]).toEqual([
      ...before.slice(0, 8),
      ...newestFirst([...stored, older, tie]).slice(8),
    ]);
    expect(new Set([...seen, ...rest.ids]).size).toBe(seen.length + rest.ids.length);
  });

  test('bad parameters are 400 INVALID_QUERY naming them', async () => {
    expect(await get('/api/alerts/history?limit=0')).toEqual({
      status: 400,
      body: { code: 'INVALID_QUERY', message: 'limit must be a whole number from 1 to 500 (got "0")' },
    });
    expect((await get('/api/alerts/history?cursor=abc')).body.message).toMatch(
      /cursor is not one this API gave out/,
    );
    expect((await get('/api/alerts/history?severity=HIGH')).body.message).toMatch(
      /severity must be one of LOW, MEDIUM, CRITICAL/,
    );
  });
});

test('GET /api/alerts/critical: the open CRITICAL alerts, newest first', async () => {
  const r = await get('/api/alerts/critical');
  expect(r.status).toBe(200);
  const all = (await get('/api/alerts/history?limit=500')).body.alerts as Answer[];
  const expected = all.filter((a) => a.severity === 'CRITICAL' && a.status === 'OPEN').map((a) => a.alertId);
  expect(expected.length).toBeGreaterThan(1);
  expect(r.body.map((a: Answer) => a.alertId)).toEqual(expected);
  expect(r.body.every((a: Answer) => a.severity === 'CRITICAL' && a.status === 'OPEN')).toBe(true);
  expect((await get('/api/alerts/critical?equipmentId=P-1&limit=1')).body).toEqual([
    r.body.find((a: Answer) => a.equipmentId === 'P-1'),
  ]);
});

test('/openapi.json lists every sensor route with its parameters and answer schemas', async () => {
  type Operation = {
    parameters?: { name: string; in: string }[];
    responses: Record<string, { content?: object }>;
  };
  const doc = (await get('/openapi.json')).body as { paths: Record<string, { get?: Operation }> };
  const sensorRoutes = registeredRoutes(app()).filter(
    (r) => r.method === 'GET' && /^\/api\/(equipment|metrics|sensors|alerts)/.test(r.url),
  );
  expect(sensorRoutes.map((r) => r.url).sort()).toEqual([
    '/api/alerts/critical',
    '/api/alerts/history',
    '/api/equipment',
    '/api/equipment/:id/sensor-history',
    '/api/equipment/:id/status',
    '/api/metrics/production',
    '/api/sensors/types',
  ]);
  for (const route of sensorRoutes) {
    const op = doc.paths[route.url.replace(/:(\w+)/g, '{$1}')]?.get;
    expect(op, route.url).toBeDefined();
    for (const status of ['200', '400', '503'])
      expect(op!.responses[status]?.content, `${route.url} ${status}`).toBeDefined();
  }
  const names = (path: string) => doc.paths[path]!.get!.parameters!.map((p) => `${p.in}:${p.name}`).sort();
  expect(names('/api/alerts/history')).toEqual(
    ['cursor', 'equipmentId', 'from', 'limit', 'severity', 'status', 'to'].map((n) => `query:${n}`),
  );
  expect(names('/api/equipment/{id}/sensor-history')).toEqual([
    'path:id',
    'query:bucket',
    'query:from',
    'query:sensorType',
    'query:to',
  ]);
  expect(doc.paths['/api/equipment/{id}/status']!.get!.responses['404']).toBeDefined();
});
