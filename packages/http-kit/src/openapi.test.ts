import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createHttpApp } from './http-app.ts';

describe('/openapi.json with openapiMergeFrom', () => {
  test("adds the other process's paths and schemas to this app's own", async () => {
    const app = createHttpApp({
      openapiMergeFrom: async () => ({
        paths: { '/stats': { get: { summary: 'from behind' } }, '/things': { get: { summary: 'stale' } } },
        components: { schemas: { Stats: { type: 'object' } } },
      }),
    });
    await app.register(async (scope) => {
      scope.get('/things', { schema: { response: { 200: z.object({ n: z.number() }) } } }, async () => ({
        n: 1,
      }));
    });
    const doc = (await app.inject({ url: '/openapi.json' })).json();
    expect(doc.paths['/stats']).toEqual({ get: { summary: 'from behind' } });
    // This app's own description of a path wins over the other's.
    expect(doc.paths['/things'].get.summary).toBeUndefined();
    expect(doc.paths['/things'].get.responses).toBeDefined();
    expect(doc.components.schemas.Stats).toEqual({ type: 'object' });
    expect(doc.components.securitySchemes.apiKey).toBeDefined();
    await app.close();
  });
});
