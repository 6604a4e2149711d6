import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { HttpError } from './errors.ts';
import { createHttpApp, type HttpApp } from './http-app.ts';

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function app(): Promise<HttpApp> {
  const a = createHttpApp({ bodyLimit: 1024 });
  apps.push(a);
  a.get(
    '/square',
    {
      schema: {
        querystring: z.object({ n: z.coerce.number({ message: 'n must be a number' }).int() }),
        response: { 200: z.object({ square: z.number() }) },
      },
    },
    async (request) => ({ square: request.query.n ** 2 }),
  );
  a.post(
    '/items',
    { schema: { body: z.object({ name: z.string({ message: 'name is required' }) }) } },
    async (r) => ({
      name: r.body.name,
    }),
  );
  a.post(
    '/list',
    {
      config: { invalidBodyCode: 'BODY_NOT_ARRAY' },
      schema: { body: z.array(z.unknown(), { message: 'not a list' }) },
    },
    async (r) => ({ n: r.body.length }),
  );
  a.get('/down', async () => {
    throw new HttpError('CLICKHOUSE_UNAVAILABLE');
  });
  a.get('/bug', async () => {
    throw new Error('a bug of ours');
  });
  a.get('/bad-answer', { schema: { response: { 200: z.object({ ok: z.literal(true) }) } } }, async () => ({
    ok: 'yes' as unknown as true,
  }));
  return a;
}

describe('createHttpApp', () => {
  test('validates and types requests with the zod schemas, and serializes answers with them', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/square?n=7' });
    expect(res.json()).toEqual({ square: 49 });
  });

  test('a query string that fails its schema is 400 INVALID_QUERY with the schema message', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/square?n=seven' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ code: 'INVALID_QUERY', message: 'n must be a number' });
  });

  test('a body that fails its schema is 400 INVALID_BODY, or the code the route names', async () => {
    const a = await app();
    const item = await a.inject({ method: 'POST', url: '/items', payload: {} });
    expect(item.json()).toEqual({ code: 'INVALID_BODY', message: 'name is required' });
    const list = await a.inject({ method: 'POST', url: '/list', payload: { a: 1 } });
    expect(list.json()).toEqual({ code: 'BODY_NOT_ARRAY', message: 'not a list' });
  });

  test('an HttpError leaves with its status, code and Retry-After', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/down' });
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json().code).toBe('CLICKHOUSE_UNAVAILABLE');
  });

  test('a bug, or an answer that breaks its own schema, is 500 INTERNAL without details', async () => {
    const a = await app();
    for (const url of ['/bug', '/bad-answer']) {
      const res = await a.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(500);
      expect(res.json(), url).toEqual({ code: 'INTERNAL', message: 'Internal error.' });
    }
  });

  test('the body limit is 413 PAYLOAD_TOO_LARGE; an unknown route 404 NOT_FOUND', async () => {
    const a = await app();
    const large = await a.inject({ method: 'POST', url: '/items', payload: { name: 'x'.repeat(2048) } });
    expect(large.statusCode).toBe(413);
    expect(large.json().code).toBe('PAYLOAD_TOO_LARGE');
    const missing = await a.inject({ method: 'GET', url: '/nowhere' });
    expect(missing.json()).toEqual({ code: 'NOT_FOUND', message: 'No route GET /nowhere' });
  });
});
