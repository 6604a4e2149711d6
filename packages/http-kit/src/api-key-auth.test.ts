import { createKey, type KeyEvent, KeyRing } from '@shopfloor/auth';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { z } from 'zod';
import { requireFactory } from './api-key-auth.ts';
import { createHttpApp, type HttpApp } from './http-app.ts';

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
    scope.get('/health', async () => ({ ok: true }));
  });
  return { app, keys, machine, reader, events, log };
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
});
