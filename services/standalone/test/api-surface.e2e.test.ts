import { registeredRoutes } from '@shopfloor/http-kit';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ids, startTestSystem, type TestSystem } from './system-harness.ts';

// The API as older clients and generated clients see it, against the whole system: every route
// under /api/v1 too, and real answers that match the published OpenAPI document.
let sys: TestSystem;
beforeAll(async () => {
  sys = await startTestSystem();
});
afterAll(async () => {
  await sys?.close();
});

type OpenApi = {
  openapi: string;
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>
  >;
};
const openapi = async () => (await sys.get('/openapi.json')).body as OpenApi;
const ajv = new Ajv2020({ strict: false, allErrors: true });

/** Checks an answer against the document's schema for its path, method and status. */
function expectMatchesDocument(
  doc: OpenApi,
  path: string,
  method: string,
  reply: { status: number; body: unknown },
) {
  const operation = doc.paths[path]?.[method];
  expect(operation, `${method} ${path} in the document`).toBeDefined();
  const schema = operation!.responses[String(reply.status)]?.content?.['application/json']?.schema;
  expect(schema, `${method} ${path} ${reply.status} documented`).toBeDefined();
  const valid = ajv.validate(schema!, reply.body);
  expect(valid, `${method} ${path} ${reply.status}: ${ajv.errorsText()}`).toBe(true);
}

const event = (id: ReturnType<typeof ids>, n: number, defectCount = 2) => ({
  eventId: id.event(n),
  eventTime: '2026-03-01T10:00:00Z',
  machineId: id.machine(),
  lineId: id.line(),
  factoryId: id.factory(),
  durationMs: 1000,
  defectCount,
});

describe('OpenAPI document', () => {
  test('is OpenAPI 3.1 and holds every route the app serves', async () => {
    const doc = await openapi();
    expect(doc.openapi).toBe('3.1.0');
    const served = registeredRoutes(sys.app).filter(
      (r) => !r.hidden && r.method !== 'HEAD' && !r.url.startsWith('/docs'),
    );
    expect(served.length).toBeGreaterThan(10);
    for (const route of served) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      expect(doc.paths[path]?.[route.method.toLowerCase()], `${route.method} ${route.url}`).toBeDefined();
    }
    for (const path of [
      '/events/batch',
      '/stats',
      '/stats/top-defect-lines',
      '/api/v1/events/batch',
      '/api/v1/stats',
    ]) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect((await sys.get('/docs/')).status).toBe(200);
  });

  test('real answers, errors included, match the document', async () => {
    const doc = await openapi();
    const id = ids('openapi');
    const posted = await sys.post([event(id, 1), event(id, 2), { ...event(id, 3), durationMs: -1 }]);
    expect(posted.status).toBe(200);
    expectMatchesDocument(doc, '/events/batch', 'post', posted);
    expectMatchesDocument(doc, '/events/batch', 'post', await sys.post({ not: 'an array' }));
    const window = 'start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z';
    const stats = await sys.get(`/stats?machineId=${encodeURIComponent(id.machine())}&${window}`);
    expect(stats.body).toMatchObject({ eventsCount: 2, defectsCount: 4 });
    expectMatchesDocument(doc, '/stats', 'get', stats);
    expectMatchesDocument(doc, '/stats', 'get', await sys.get('/stats?machineId=x'));
    const lines = await sys.get(
      `/stats/top-defect-lines?factoryId=${encodeURIComponent(id.factory())}&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z`,
    );
    expect(lines.body).toEqual([{ lineId: id.line(), totalDefects: 4, eventCount: 2, defectsPercent: 200 }]);
    expectMatchesDocument(doc, '/stats/top-defect-lines', 'get', lines);
    const batch = await sys.get(`/events/batch/${posted.body.batchId}`);
    expectMatchesDocument(doc, '/events/batch/{batchId}', 'get', batch);
    expectMatchesDocument(
      doc,
      '/dead-letters',
      'get',
      await sys.get(`/dead-letters?batchId=${posted.body.batchId}`),
    );
  });
});

describe('older clients', () => {
  test('/api/v1/... serves the same answers, and top-defect-lines takes start/end', async () => {
    const id = ids('v1');
    const posted = await fetch(`${sys.url}/api/v1/events/batch`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([event(id, 1, 3), event(id, 1, 3)]),
    });
    expect(posted.status).toBe(200);
    expect(await posted.json()).toMatchObject({ accepted: 1, deduped: 1 });
    const window = 'start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z';
    const stats = await sys.get(`/api/v1/stats?machineId=${encodeURIComponent(id.machine())}&${window}`);
    expect(stats.body).toEqual(
      (await sys.get(`/stats?machineId=${encodeURIComponent(id.machine())}&${window}`)).body,
    );
    expect(stats.body).toMatchObject({ eventsCount: 1, defectsCount: 3 });
    const factory = encodeURIComponent(id.factory());
    const old = await sys.get(`/api/v1/stats/top-defect-lines?factoryId=${factory}&${window}`);
    const current = await sys.get(
      `/stats/top-defect-lines?factoryId=${factory}&from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z`,
    );
    expect(old.status).toBe(200);
    expect(old.body).toEqual(current.body);
    expect(old.body).toEqual([{ lineId: id.line(), totalDefects: 3, eventCount: 1, defectsPercent: 300 }]);
  });
});
