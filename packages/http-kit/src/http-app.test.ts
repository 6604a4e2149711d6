import { afterEach, describe, expect, test } from 'vitest';
import { z } from 'zod';
import { HttpError } from './errors.ts';
import { createHttpApp, type HttpApp } from './http-app.ts';
import { jsonDepthExceeds } from './json-body.ts';

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

  test('a body nested 200 000 deep is 400 JSON_TOO_DEEP, not a 500', async () => {
    const a = createHttpApp({ bodyLimit: 1024 * 1024 });
    apps.push(a);
    a.post('/list', { schema: { body: z.array(z.unknown()) } }, async (r) => ({ n: r.body.length }));
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    const res = await a.inject({
      method: 'POST',
      url: '/list',
      headers: { 'content-type': 'application/json' },
      payload: deep,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('JSON_TOO_DEEP');
    const shallow = await a.inject({ method: 'POST', url: '/list', payload: [[{ a: [1] }]] });
    expect(shallow.json()).toEqual({ n: 1 });
  });

  test('text/plain and every other non-JSON content type is 415; an empty JSON body 400 INVALID_JSON', async () => {
    const a = await app();
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'image/png']) {
      const res = await a.inject({
        method: 'POST',
        url: '/list',
        headers: { 'content-type': type },
        payload: '[1]',
      });
      expect(res.statusCode, type).toBe(415);
      expect(res.json().code, type).toBe('UNSUPPORTED_MEDIA_TYPE');
    }
    const charset = await a.inject({
      method: 'POST',
      url: '/list',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      payload: '[1,2]',
    });
    expect(charset.json()).toEqual({ n: 2 });
    for (const payload of [
      '',
      '[1,',
      '{"a":',
      '[{"__proto__":{"x":1}}]',
      '[{"constructor":{"prototype":{}}}]',
    ]) {
      const res = await a.inject({
        method: 'POST',
        url: '/list',
        headers: { 'content-type': 'application/json' },
        payload,
      });
      expect(res.statusCode, payload).toBe(400);
      expect(res.json().code, payload).toBe('INVALID_JSON');
    }
  });
});

describe('route aliases', () => {
  test('every route is also served under /api/v1, with the same schemas; /api/ routes keep one path', async () => {
    const a = await app();
    a.get('/api/sensors', async () => ({ ok: true }));
    const aliased = await a.inject({ method: 'GET', url: '/api/v1/square?n=3' });
    expect(aliased.json()).toEqual({ square: 9 });
    const invalid = await a.inject({ method: 'GET', url: '/api/v1/square?n=x' });
    expect(invalid.json().code).toBe('INVALID_QUERY');
    const posted = await a.inject({ method: 'POST', url: '/api/v1/list', payload: [1, 2, 3] });
    expect(posted.json()).toEqual({ n: 3 });
    expect((await a.inject({ method: 'GET', url: '/api/sensors' })).statusCode).toBe(200);
    expect((await a.inject({ method: 'GET', url: '/api/v1/api/sensors' })).statusCode).toBe(404);
  });

  test('aliasPrefix "" serves each route once', async () => {
    const a = createHttpApp({ aliasPrefix: '' });
    apps.push(a);
    a.get('/x', async () => ({ ok: true }));
    expect((await a.inject({ method: 'GET', url: '/api/v1/x' })).statusCode).toBe(404);
  });
});

describe('OpenAPI', () => {
  test('/openapi.json (3.1) holds every route registered on the app, from the zod schemas; /docs serves the UI', async () => {
    const a = createHttpApp();
    apps.push(a);
    const routes: string[] = [];
    a.addHook('onRoute', (r) => {
      if (!r.schema?.hide && r.method !== 'HEAD') routes.push(r.url);
    });
    // Routes come in plugins (as services register theirs), so they load after the document's hook.
    await a.register(async (scope) => {
      scope.get(
        '/square',
        {
          schema: {
            querystring: z.object({ n: z.coerce.number() }),
            response: { 200: z.object({ square: z.number() }) },
          },
        },
        async () => ({ square: 1 }),
      );
      scope.post('/items', { schema: { body: z.object({ name: z.string() }) } }, async () => ({}));
    });
    await a.ready();
    const doc = (await a.inject({ method: 'GET', url: '/openapi.json' })).json();
    expect(doc.openapi).toBe('3.1.0');
    const square = doc.paths['/square'].get;
    expect(square.parameters).toEqual([expect.objectContaining({ name: 'n', in: 'query', required: true })]);
    expect(square.responses['200'].content['application/json'].schema).toMatchObject({
      properties: { square: { type: 'number' } },
    });
    expect(doc.paths['/items'].post.requestBody.content['application/json'].schema).toMatchObject({
      required: ['name'],
    });
    expect(routes.length).toBeGreaterThanOrEqual(4);
    for (const url of routes) expect(doc.paths[url.replace(/:(\w+)/g, '{$1}')], url).toBeDefined();
    expect(doc.paths['/api/v1/square']).toBeDefined();
    const docs = await a.inject({ method: 'GET', url: '/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });
});

describe('jsonDepthExceeds', () => {
  test('counts nesting outside strings only', () => {
    expect(jsonDepthExceeds('[[[1]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[1]]]]', 3)).toBe(true);
    expect(jsonDepthExceeds('["[[[[[[", "\\"]', 1)).toBe(false);
    expect(jsonDepthExceeds('[{"a":"\\"},{"b":[{}]}]', 3)).toBe(false);
    expect(jsonDepthExceeds('[{"a":"\\""},{"b":[{"c":[]}]}]', 3)).toBe(true);
  });
});
