import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { probeRoutes } from './probes-plugin.ts';

describe('probeRoutes', () => {
  it('/health answers without asking any dependency; /ready is 200 only when every probe holds', async () => {
    let restored = false;
    const app = Fastify();
    await app.register(probeRoutes, {
      probes: {
        broker: async () => {},
        restore: async () => {
          if (!restored) throw new Error('restore of partition 3 in progress');
        },
      },
    });
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok' });
    const notReady = await app.inject('/ready');
    expect(notReady.statusCode).toBe(503);
    expect(notReady.json()).toEqual({
      status: 'not-ready',
      checks: [
        { name: 'broker', ok: true },
        { name: 'restore', ok: false, error: 'restore of partition 3 in progress' },
      ],
    });
    restored = true;
    const ready = await app.inject('/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json().status).toBe('ready');
    await app.close();
  });

  it('a probe that hangs fails after its time limit; health: false leaves /health to the app', async () => {
    const app = Fastify();
    app.get('/health', async () => ({ status: 'ok', own: true }));
    await app.register(probeRoutes, {
      health: false,
      timeoutMs: 50,
      probes: { hung: () => new Promise(() => {}) },
    });
    const res = await app.inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.json().checks[0]).toEqual({ name: 'hung', ok: false, error: 'no answer within 50 ms' });
    expect((await app.inject('/health')).json()).toEqual({ status: 'ok', own: true });
    await app.close();
  });
});
