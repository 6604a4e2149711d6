import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpApp } from '@shopfloor/http-kit';
import { afterEach, describe, expect, test } from 'vitest';
import { forwardTo, isAnsweredHere, routeMatcher, serveHereForwardRest } from './route-forwarding.ts';

describe('isAnsweredHere: what the gateway process answers itself in the split topology', () => {
  test('POST /events/batch, with its query string and under the alias prefix', () => {
    expect(isAnsweredHere('POST', '/events/batch')).toBe(true);
    expect(isAnsweredHere('POST', '/events/batch?mode=async')).toBe(true);
    expect(isAnsweredHere('POST', '/api/v1/events/batch?mode=async')).toBe(true);
  });

  test('GET (and HEAD) /metrics and /openapi.json, which it completes with the pipeline process', () => {
    expect(isAnsweredHere('GET', '/metrics')).toBe(true);
    expect(isAnsweredHere('HEAD', '/api/v1/metrics')).toBe(true);
    expect(isAnsweredHere('GET', '/openapi.json')).toBe(true);
    expect(isAnsweredHere('POST', '/metrics')).toBe(false);
  });

  test('everything else is forwarded: other methods, the batch lookup, the metric-events routes', () => {
    expect(isAnsweredHere('GET', '/events/batch')).toBe(false);
    expect(isAnsweredHere('GET', '/events/batch/3f1c')).toBe(false);
    expect(isAnsweredHere('POST', '/events/batch-metrics')).toBe(false);
    expect(isAnsweredHere('POST', '/events')).toBe(false);
    expect(isAnsweredHere('POST', '/events/batch/')).toBe(false);
    expect(isAnsweredHere('GET', '/docs/json')).toBe(false);
    expect(isAnsweredHere('POST', undefined)).toBe(false);
  });
});

describe('routeMatcher: the query thread’s routes, by method and Fastify path', () => {
  const isQuery = routeMatcher([
    { method: 'GET', url: '/stats' },
    { method: 'GET', url: '/api/equipment/:id/status' },
    { method: 'GET', url: '/api/v1/alerts/history' },
    { method: 'HEAD', url: '/stats' },
  ]);

  test('a path parameter matches one segment; the query string is not part of the path', () => {
    expect(isQuery('GET', '/stats?machineId=M-1&start=a&end=b')).toBe(true);
    expect(isQuery('GET', '/api/equipment/PUMP-7/status')).toBe(true);
    expect(isQuery('GET', '/api/equipment/PUMP-7/extra/status')).toBe(false);
    expect(isQuery('GET', '/api/equipment//status')).toBe(false);
    expect(isQuery('GET', '/api/v1/alerts/history?limit=5')).toBe(true);
  });

  test('HEAD is asked as GET; other methods, other paths and prefixes of a path are not matched', () => {
    expect(isQuery('HEAD', '/api/equipment/PUMP-7/status')).toBe(true);
    expect(isQuery('POST', '/stats')).toBe(false);
    expect(isQuery('PATCH', '/api/equipment/PUMP-7/status')).toBe(false);
    expect(isQuery('GET', '/stats/more')).toBe(false);
    expect(isQuery('GET', '/stat')).toBe(false);
    expect(isQuery(undefined, '/stats')).toBe(false);
    expect(routeMatcher([{ method: 'GET', url: '/a.b' }])('GET', '/aXb')).toBe(false);
  });
});

describe('serveHereForwardRest with a query upstream', () => {
  const servers: { close(cb: () => void): unknown }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
  });
  const upstream = async (name: string) => {
    const server = createServer((req, res) => res.end(`${name} ${req.method} ${req.url}`));
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  };

  test('its routes go to the query upstream, the answered-here ones to the app, the rest to the pipeline', async () => {
    const app = createHttpApp();
    app.get('/metrics', async () => 'gateway');
    const close = await serveHereForwardRest(
      app,
      await upstream('pipeline'),
      { upstreamKeepAliveMs: 5_000 },
      { url: await upstream('query'), routes: [{ method: 'GET', url: '/api/equipment/:id/status' }] },
    );
    await app.listen({ host: '127.0.0.1', port: 0 });
    servers.push({
      close: (cb) => {
        close();
        void app.close().then(cb);
      },
    });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const text = async (method: string, p: string) => (await fetch(`${base}${p}`, { method })).text();
    expect(await text('GET', '/api/equipment/PUMP-7/status?x=1')).toBe(
      'query GET /api/equipment/PUMP-7/status?x=1',
    );
    expect(await text('PATCH', '/api/equipment/PUMP-7/status')).toBe(
      'pipeline PATCH /api/equipment/PUMP-7/status',
    );
    expect(await text('GET', '/api/alerts/critical')).toBe('pipeline GET /api/alerts/critical');
    expect(await text('GET', '/metrics')).toBe('gateway');
  });
});

describe('forwardTo', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  });
  const listen = async (server: Server) => {
    servers.push(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  };
  const front = (upstream: URL, upstreamKeepAliveMs = 5_000, onError?: (err: Error) => void) => {
    const forward = forwardTo(upstream, { upstreamKeepAliveMs, ...(onError ? { onError } : {}) });
    const server = createServer((req, res) => forward.handle(req, res));
    server.on('close', forward.close);
    return listen(server);
  };

  test('streams the request to the upstream and its answer back, status and headers included', async () => {
    const upstream = await listen(
      createServer((req, res) => {
        res.writeHead(201, { 'x-seen': `${req.method} ${req.url}` });
        req.pipe(res);
      }),
    );
    const res = await fetch(new URL('/things?a=1', await front(upstream)), { method: 'PUT', body: 'hello' });
    expect([res.status, res.headers.get('x-seen'), await res.text()]).toEqual([
      201,
      'PUT /things?a=1',
      'hello',
    ]);
  });

  test('an upstream that cannot be reached is 503 PIPELINE_UNAVAILABLE with its Retry-After, and is told', async () => {
    const gone = await listen(createServer());
    await new Promise((r) => servers.pop()!.close(r));
    const errors: string[] = [];
    const res = await fetch(
      new URL('/stats', await front(gone, 5_000, (err) => errors.push((err as NodeJS.ErrnoException).code!))),
    );
    expect(res.status).toBe(503);
    expect(res.headers.get('retry-after')).toBe('2');
    expect(await res.json()).toMatchObject({ code: 'PIPELINE_UNAVAILABLE' });
    expect(errors).toEqual(['ECONNREFUSED']);
  });

  // A pooled socket reused just as the upstream closes it for idleness fails with ECONNRESET: the
  // forwarder drops idle sockets a second before the upstream's keep-alive timeout instead.
  test("reuses a connection while it is fresh and drops it before the upstream's keep-alive timeout", async () => {
    const server = createServer((_req, res) => res.end('ok'));
    server.keepAliveTimeout = 2_500;
    let connections = 0;
    server.on('connection', () => connections++);
    const forwarding = await front(await listen(server), 2_500);
    const get = async () => (await fetch(new URL('/x', forwarding))).text();
    expect(await get()).toBe('ok');
    await new Promise((r) => setTimeout(r, 200));
    expect(await get()).toBe('ok');
    expect(connections).toBe(1);
    // Idle 1.8 s: past the forwarder's 1.5 s, within the upstream's 2.5 s.
    await new Promise((r) => setTimeout(r, 1_800));
    expect(await get()).toBe('ok');
    expect(connections).toBe(2);
  });
});
