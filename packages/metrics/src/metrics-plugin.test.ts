import Fastify from 'fastify';
import { describe, expect, test } from 'vitest';
import { metricsRoutes, UNMATCHED_ROUTE } from './metrics-plugin.ts';
import { createShopfloorMetrics } from './shopfloor-metrics.ts';
import { parsePrometheusText, sumOf } from './testing/prometheus-text.ts';

async function appWithMetrics() {
  const metrics = createShopfloorMetrics({ defaultMetrics: false });
  const app = Fastify();
  await app.register(metricsRoutes, { metrics });
  // Routes in a child context, as the services register theirs.
  await app.register(async (child) => {
    child.get('/things/:id', async () => ({ ok: true }));
    child.post('/fail', async (_req, reply) => reply.status(503).send({ code: 'X' }));
  });
  return { app, metrics };
}

describe('metricsRoutes', () => {
  test('GET /metrics answers the Prometheus text format of the process registry', async () => {
    const { app } = await appWithMetrics();
    const res = await app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain('# TYPE shopfloor_events_total counter');
    expect(res.body).toContain('# TYPE shopfloor_http_request_duration_seconds histogram');
    await app.close();
  });

  test('every request is timed by route pattern, method and status, also in child contexts and for 404s', async () => {
    const { app } = await appWithMetrics();
    await app.inject({ method: 'GET', url: '/things/1' });
    await app.inject({ method: 'GET', url: '/things/2' });
    await app.inject({ method: 'POST', url: '/fail' });
    await app.inject({ method: 'GET', url: '/nowhere/42' });
    const samples = parsePrometheusText((await app.inject({ method: 'GET', url: '/metrics' })).body);
    const count = (labels: Record<string, string>) =>
      sumOf(samples, 'shopfloor_http_request_duration_seconds_count', labels);
    expect(count({ route: '/things/:id', method: 'GET', status_code: '200' })).toBe(2);
    expect(count({ route: '/fail', method: 'POST', status_code: '503' })).toBe(1);
    expect(count({ route: UNMATCHED_ROUTE, method: 'GET', status_code: '404' })).toBe(1);
    expect(samples.some((s) => s.labels.route?.includes('42'))).toBe(false);
    await app.close();
  });

  test('Accept: application/json answers the snapshot; mergeFrom adds the samples of another process', async () => {
    const behind = await appWithMetrics();
    behind.metrics.gateway.batchPublished({ published: 0, rejectionReasons: ['INVALID_DURATION'] });
    behind.metrics.dedupe.batchCommitted({
      transactionSeconds: 0.01,
      records: 2,
      decisions: ['accepted', 'accepted'],
      invalid: 0,
      evicted: 0,
      found: 0,
    });
    const front = createShopfloorMetrics({ defaultMetrics: false });
    front.gateway.batchPublished({
      published: 3,
      rejectionReasons: ['INVALID_DURATION', 'INVALID_DURATION'],
    });
    const app = Fastify();
    await app.register(metricsRoutes, {
      metrics: front,
      mergeFrom: async () =>
        (await behind.app.inject({ url: '/metrics', headers: { accept: 'application/json' } })).json(),
    });

    const samples = parsePrometheusText((await app.inject({ url: '/metrics' })).body);
    expect(sumOf(samples, 'shopfloor_events_total', { outcome: 'rejected' })).toBe(3);
    expect(sumOf(samples, 'shopfloor_events_total', { outcome: 'accepted' })).toBe(2);
    expect(sumOf(samples, 'shopfloor_rejections_total', { reason: 'INVALID_DURATION' })).toBe(3);
    expect(sumOf(samples, 'shopfloor_gateway_published_events_total', {})).toBe(3);
    await app.close();
    await behind.app.close();
  });
});
