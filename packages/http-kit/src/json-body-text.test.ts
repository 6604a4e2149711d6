import { afterEach, describe, expect, test } from 'vitest';
import { createHttpApp, type HttpApp } from './http-app.ts';
import { rawJsonBodyOf } from './json-body.ts';

const apps: HttpApp[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

/** `/raw` answers the parsed body and the text it was parsed from. */
async function app(): Promise<HttpApp> {
  const a = createHttpApp({ bodyLimit: 256 });
  apps.push(a);
  await a.register(async (scoped) => {
    scoped.post('/raw', async (r) => ({ parsed: r.body, text: rawJsonBodyOf(r) ?? null }));
  });
  return a;
}

const post = (a: HttpApp, url: string, payload: string, type = 'application/json') =>
  a.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });

describe('rawJsonBodyOf', () => {
  test('the route gets the parsed body and its exact text', async () => {
    const a = await app();
    const text = '[ {"b":1.50, "a" :1e2} ,"caf\\u00e9"]';
    const raw = await post(a, '/raw', text, 'application/json; charset=utf-8');
    expect(raw.json()).toEqual({ parsed: [{ b: 1.5, a: 100 }, 'café'], text });
  });

  test('JSON errors and limits are those of the one JSON parser', async () => {
    const a = await app();
    const codeOf = async (payload: string) => (await post(a, '/raw', payload)).json().code;
    expect(await codeOf('[1,')).toBe('INVALID_JSON');
    expect(await codeOf('')).toBe('INVALID_JSON');
    expect(await codeOf('{"__proto__":{"x":1}}')).toBe('INVALID_JSON');
    expect(await codeOf('{"constructor":{"prototype":{"x":1}}}')).toBe('INVALID_JSON');
    expect(await codeOf(`["${'x'.repeat(300)}"]`)).toBe('PAYLOAD_TOO_LARGE');
  });
});
