import { createKey, type KeyEvent, KeyRing } from '@shopfloor/auth';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { requireFactory, requireMachine } from './api-key-auth.ts';
import { createHttpApp, type HttpApp } from './http-app.ts';
import { defaultAccess } from './route-access.ts';

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const a of apps.splice(0)) await a.close();
});

async function setup() {
  const events: KeyEvent[] = [];
  const log = { append: async (e: KeyEvent) => void events.push(e), readAll: async () => events };
  const keys = new KeyRing();
  const machine = await createKey(log, { role: 'machine', factories: ['F-1'] });
  const reader = await createKey(log, { role: 'reader', factories: ['F-1'] });
  const operator = await createKey(log, { role: 'operator', factories: '*' });
  for (const e of events) keys.apply(e);
  const app = createHttpApp({ keys, rateLimitPerMinute: 5 });
  apps.push(app);
  await app.register(async (scope) => {
    scope.post('/events', { config: { access: 'write-events' } }, async () => ({ ok: true }));
    scope.get(
      '/lines',
      { config: { access: 'read-stats' }, schema: { querystring: z.object({ factoryId: z.string() }) } },
      async (request) => {
        requireFactory(request, (request.query as { factoryId: string }).factoryId);
        return { ok: true };
      },
    );
    scope.get(
      '/stats',
      { config: { access: 'read-stats' }, schema: { querystring: z.object({ machineId: z.string() }) } },
      async (request) => {
        const factories: Record<string, string[]> = { 'M-1': ['F-1'], 'M-2': ['F-1', 'F-2'] };
        await requireMachine(request, (request.query as { machineId: string }).machineId, async (m) =>
          Promise.resolve(factories[m] ?? []),
        );
        return { ok: true };
      },
    );
    scope.get('/health', async () => ({ ok: true }));
    scope.get('/metrics', async () => 'counts');
    // Declared without access: covered by the default rule.
    scope.post('/admin/rebuild', async () => ({ ok: true }));
    scope.get('/api/equipment', async () => ({ ok: true }));
    scope.post('/api/webhook/sensor-data', async () => ({ ok: true }));
  });
  return { app, keys, machine, reader, operator, events, log };
}

// scrypt is deliberately slow; a loaded machine must not time these out.
vi.setConfig({ testTimeout: 30_000 });
describe('API key auth', () => {
  test('no key or an unknown one: 401; public routes need none', async () => {
    const { app, machine } = await setup();
    const none = await app.inject({ method: 'POST', url: '/events', payload: [] });
    expect(none.statusCode).toBe(401);
    expect(none.json().code).toBe('UNAUTHORIZED');
    const forged = `${machine.token.slice(0, -4)}AAAA`;
    expect(
      (await app.inject({ method: 'POST', url: '/events', payload: [], headers: { 'x-api-key': forged } }))
        .statusCode,
    ).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  test('X-API-Key or Authorization: Bearer; the role decides the route (403 FORBIDDEN_ROLE)', async () => {
    const { app, machine, reader } = await setup();
    const byHeader = await app.inject({
      method: 'POST',
      url: '/events',
      payload: [],
      headers: { 'x-api-key': machine.token },
    });
    expect(byHeader.statusCode).toBe(200);
    const byBearer = await app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: [],
      headers: { authorization: `Bearer ${machine.token}` },
    });
    expect(byBearer.statusCode).toBe(200);
    const wrongRole = await app.inject({
      method: 'POST',
      url: '/events',
      payload: [],
      headers: { 'x-api-key': reader.token },
    });
    expect(wrongRole.statusCode).toBe(403);
    expect(wrongRole.json().code).toBe('FORBIDDEN_ROLE');
    const machineReads = await app.inject({
      method: 'GET',
      url: '/lines?factoryId=F-1',
      headers: { 'x-api-key': machine.token },
    });
    expect(machineReads.json().code).toBe('FORBIDDEN_ROLE');
  });

  test('a factory outside the key is 403 FORBIDDEN_SCOPE; a revoked key is 401 at once', async () => {
    const { app, keys, reader, log } = await setup();
    const own = await app.inject({
      method: 'GET',
      url: '/lines?factoryId=F-1',
      headers: { 'x-api-key': reader.token },
    });
    expect(own.statusCode).toBe(200);
    const other = await app.inject({
      method: 'GET',
      url: '/lines?factoryId=F-2',
      headers: { 'x-api-key': reader.token },
    });
    expect(other.statusCode).toBe(403);
    expect(other.json().code).toBe('FORBIDDEN_SCOPE');
    await log.append({ type: 'revoked', keyId: reader.keyId, at: new Date().toISOString() });
    keys.apply((await log.readAll()).at(-1)!);
    const revoked = await app.inject({
      method: 'GET',
      url: '/lines?factoryId=F-1',
      headers: { 'x-api-key': reader.token },
    });
    expect(revoked.statusCode).toBe(401);
  });

  test('past the per-key rate limit: 429 RATE_LIMITED with Retry-After; other keys and public routes go on', async () => {
    const { app, machine, reader } = await setup();
    const post = () =>
      app.inject({ method: 'POST', url: '/events', payload: [], headers: { 'x-api-key': machine.token } });
    for (let i = 0; i < 5; i++) expect((await post()).statusCode).toBe(200);
    const limited = await post();
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    const other = await app.inject({
      method: 'GET',
      url: '/lines?factoryId=F-1',
      headers: { 'x-api-key': reader.token },
    });
    expect(other.statusCode).toBe(200);
    for (let i = 0; i < 8; i++)
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  test('routes that declare no access get the default rule: operator paths, reads, writes; probes and /metrics public', async () => {
    const { app, machine, reader, operator } = await setup();
    const call = (method: 'GET' | 'POST', url: string, key?: string) =>
      app.inject({ method, url, ...(key ? { headers: { 'x-api-key': key } } : {}) });
    expect((await call('GET', '/metrics')).statusCode).toBe(200);
    expect((await call('POST', '/admin/rebuild')).statusCode).toBe(401);
    expect((await call('POST', '/admin/rebuild', reader.token)).json().code).toBe('FORBIDDEN_ROLE');
    expect((await call('POST', '/api/v1/admin/rebuild', machine.token)).json().code).toBe('FORBIDDEN_ROLE');
    expect((await call('POST', '/admin/rebuild', operator.token)).statusCode).toBe(200);
    expect((await call('GET', '/api/equipment', reader.token)).statusCode).toBe(200);
    expect((await call('GET', '/api/equipment', machine.token)).json().code).toBe('FORBIDDEN_ROLE');
    expect((await call('POST', '/api/webhook/sensor-data', machine.token)).statusCode).toBe(200);
    expect((await call('POST', '/api/webhook/sensor-data', reader.token)).statusCode).toBe(403);
    expect(defaultAccess('GET', '/docs/static/index.html')).toBe('public');
    expect(defaultAccess('GET', '/internal/status')).toBe('operate');
    expect(defaultAccess('GET', '/dashboard/api/snapshot')).toBe('operate');
    expect(defaultAccess('GET', '/dashboard')).toBe('public');
  });

  test('/stats of a machine with events outside the reader key: 403 MACHINE_OUT_OF_SCOPE; unknown machines and all-factory keys pass', async () => {
    const { app, reader, operator } = await setup();
    const stats = (machineId: string, key: string) =>
      app.inject({ method: 'GET', url: `/stats?machineId=${machineId}`, headers: { 'x-api-key': key } });
    expect((await stats('M-1', reader.token)).statusCode).toBe(200);
    const outside = await stats('M-2', reader.token);
    expect(outside.statusCode).toBe(403);
    expect(outside.json().code).toBe('MACHINE_OUT_OF_SCOPE');
    expect((await stats('M-never-seen', reader.token)).statusCode).toBe(200);
    expect((await stats('M-2', operator.token)).statusCode).toBe(200);
  });
});
