import { randomBytes } from 'node:crypto';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';

// The sensor and metric-events routes in /openapi.json of the all-in-one process: each with its
// parameters, request body and answers, and real answers (errors included) valid against them.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem({ SHOPFLOOR_ALLOW_SIMULATED_FAILURES: '1' });
});
afterAll(async () => {
  await sys?.close();
});

type Operation = {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema: object }> };
  responses: Record<string, { content?: Record<string, { schema: object }> }>;
};
type OpenApi = { paths: Record<string, Record<string, Operation>> };
const ajv = new Ajv2020({ strict: false, allErrors: true });

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sys.url}${path}`, {
    method: method.toUpperCase(),
    ...(body === undefined
      ? {}
      : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
  });
  return { status: res.status, body: (await res.json()) as any };
}

/** Checks an answer against the document's schema for its path, method and status. */
function expectMatches(doc: OpenApi, path: string, method: string, reply: { status: number; body: unknown }) {
  const schema =
    doc.paths[path]?.[method]?.responses[String(reply.status)]?.content?.['application/json']?.schema;
  expect(schema, `${method} ${path} ${reply.status} documented`).toBeDefined();
  expect(ajv.validate(schema!, reply.body), `${method} ${path} ${reply.status}: ${ajv.errorsText()}`).toBe(
    true,
  );
}

/** [method, path, success status, query parameters it must list, whether it takes a JSON body]. */
const ROUTES: [string, string, number, string[], boolean][] = [
  ['post', '/api/webhook/sensor-data', 200, ['mode'], true],
  ['get', '/api/webhook/status/{jobId}', 200, [], false],
  ['get', '/api/equipment', 200, ['status'], false],
  ['get', '/api/equipment/{id}/status', 200, [], false],
  ['get', '/api/equipment/{id}/sensor-history', 200, ['sensorType', 'from', 'to', 'bucket'], false],
  ['get', '/api/metrics/production', 200, ['from', 'to'], false],
  ['get', '/api/sensors/types', 200, [], false],
  [
    'get',
    '/api/alerts/history',
    200,
    ['equipmentId', 'severity', 'status', 'from', 'to', 'cursor', 'limit'],
    false,
  ],
  ['get', '/api/alerts/critical', 200, [], false],
  ['patch', '/api/alerts/{id}/resolve', 200, [], true],
  ['post', '/events', 201, ['mode'], true],
  ['post', '/events/batch-metrics', 200, ['mode'], true],
  ['get', '/events/processed', 200, ['client_id', 'from', 'to', 'cursor', 'limit'], false],
  ['get', '/events/failed', 200, ['client_id', 'from', 'to', 'cursor', 'limit'], false],
  ['get', '/aggregates', 200, ['client_id', 'from', 'to', 'by'], false],
];

describe('the sensor and metric-events routes in the OpenAPI document', () => {
  test('every route with its query parameters, its JSON body and its success answer', async () => {
    const doc = (await call('get', '/openapi.json')).body as OpenApi;
    for (const [method, path, status, query, hasBody] of ROUTES) {
      const op = doc.paths[path]?.[method];
      expect(op, `${method} ${path}`).toBeDefined();
      const params = (op!.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      for (const name of query) expect(params, `${method} ${path} ?${name}`).toContain(name);
      if (hasBody)
        expect(op!.requestBody?.content?.['application/json']?.schema, `${path} body`).toBeDefined();
      expect(
        op!.responses[String(status)]?.content?.['application/json']?.schema,
        `${path} ${status}`,
      ).toBeDefined();
    }
  });

  test('real answers of the sensor routes, errors included, match the document', async () => {
    const doc = (await call('get', '/openapi.json')).body as OpenApi;
    const eq = `EQ-${randomBytes(3).toString('hex')}`;
    const T = Date.parse('2026-03-01T10:00:00Z');
    const reading = (i: number, value: number) => ({
      readingId: `${eq}-${i}`,
      equipmentId: eq,
      sensorType: 'temperature',
      value,
      unit: 'C',
      timestamp: new Date(T + i * 1_000).toISOString(),
    });
    const readings = [
      ...Array.from({ length: 40 }, (_, i) => reading(i, i % 2 ? 70.4 : 70)),
      reading(99, 80),
    ];
    const posted = await call('post', '/api/webhook/sensor-data', { readings: [...readings, { value: 1 }] });
    expectMatches(doc, '/api/webhook/sensor-data', 'post', posted);
    expectMatches(
      doc,
      '/api/webhook/sensor-data',
      'post',
      await call('post', '/api/webhook/sensor-data', {}),
    );
    const pending = await call('post', '/api/webhook/sensor-data?mode=async', {
      readings: [reading(100, 70)],
    });
    expect(pending.status).toBe(202);
    expectMatches(doc, '/api/webhook/sensor-data', 'post', pending);
    expectMatches(
      doc,
      '/api/webhook/status/{jobId}',
      'get',
      await call('get', `/api/webhook/status/${posted.body.jobId}`),
    );
    expectMatches(doc, '/api/equipment', 'get', await call('get', '/api/equipment'));
    expectMatches(doc, '/api/equipment/{id}/status', 'get', await call('get', `/api/equipment/${eq}/status`));
    expectMatches(
      doc,
      '/api/equipment/{id}/status',
      'get',
      await call('get', '/api/equipment/nobody/status'),
    );
    const window = 'from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z';
    expectMatches(
      doc,
      '/api/equipment/{id}/sensor-history',
      'get',
      await call('get', `/api/equipment/${eq}/sensor-history?sensorType=temperature&${window}&bucket=1m`),
    );
    expectMatches(
      doc,
      '/api/metrics/production',
      'get',
      await call('get', `/api/metrics/production?${window}`),
    );
    expectMatches(doc, '/api/sensors/types', 'get', await call('get', '/api/sensors/types'));
    const history = await call('get', `/api/alerts/history?equipmentId=${eq}`);
    expect(history.body.alerts).toHaveLength(1);
    expectMatches(doc, '/api/alerts/history', 'get', history);
    expectMatches(doc, '/api/alerts/history', 'get', await call('get', '/api/alerts/history?severity=HUGE'));
    expectMatches(doc, '/api/alerts/critical', 'get', await call('get', '/api/alerts/critical'));
    const alertId = history.body.alerts[0].alertId;
    expectMatches(
      doc,
      '/api/alerts/{id}/resolve',
      'patch',
      await call('patch', `/api/alerts/${alertId}/resolve`, { note: 'ok' }),
    );
  });

  test('real answers of the metric-events routes, errors included, match the document', async () => {
    const doc = (await call('get', '/openapi.json')).body as OpenApi;
    const client = `client-${randomBytes(3).toString('hex')}`;
    const event = (amount: unknown, over: object = {}) => ({
      client_id: client,
      payload: { metric: 'clicks', amount, timestamp: '2026-03-01T10:00:00.000Z' },
      ...over,
    });
    const created = await call('post', '/events', event(3));
    expect(created.status).toBe(201);
    expectMatches(doc, '/events', 'post', created);
    expectMatches(doc, '/events', 'post', await call('post', '/events', event(3))); // 200, duplicate
    expectMatches(doc, '/events', 'post', await call('post', '/events', event(1.5))); // 422
    expectMatches(doc, '/events', 'post', await call('post', '/events', event(4, { simulateFailure: true })));
    expectMatches(
      doc,
      '/events/batch-metrics',
      'post',
      await call('post', '/events/batch-metrics', [event(5), {}]),
    );
    expectMatches(
      doc,
      '/events/batch-metrics',
      'post',
      await call('post', '/events/batch-metrics', { no: 1 }),
    );
    expectMatches(
      doc,
      '/events/processed',
      'get',
      await call('get', `/events/processed?client_id=${client}`),
    );
    expectMatches(doc, '/events/failed', 'get', await call('get', `/events/failed?client_id=${client}`));
    const window = 'from=2026-03-01T09:00:00Z&to=2026-03-01T11:00:00Z';
    expectMatches(
      doc,
      '/aggregates',
      'get',
      await call('get', `/aggregates?client_id=${client}&${window}&by=metric`),
    );
    expectMatches(doc, '/aggregates', 'get', await call('get', '/aggregates?client_id=x'));
  });
});
