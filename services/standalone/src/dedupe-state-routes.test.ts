import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { afterEach, describe, expect, it } from 'vitest';
import { dedupeStateRoutes } from './dedupe-state-routes.ts';

const dirs = tempDirs('shopfloor-state-routes-');
afterEach(dirs.removeAll);
let dir: string;

async function app(): Promise<HttpApp> {
  dir = dirs.make();
  const a = createHttpApp();
  await a.register(dedupeStateRoutes, { stateDir: dir });
  return a;
}

describe('POST /admin/dedupe-state/reset', () => {
  it('records the request for the next start (202), from the raw log when asked', async () => {
    const a = await app();
    const res = await a.inject({
      method: 'POST',
      url: '/admin/dedupe-state/reset',
      payload: { from: 'raw' },
    });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ requested: 'raw', appliedAt: 'next start of this process' });
    expect(await readFile(join(dir, 'RESET-REQUESTED'), 'utf8')).toBe('raw\n');
  });

  it('answers 400 INVALID_QUERY for another source', async () => {
    const a = await app();
    const res = await a.inject({
      method: 'POST',
      url: '/admin/dedupe-state/reset',
      payload: { from: 'disk' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe('INVALID_QUERY');
    expect(res.json().message).toContain('from must be "changelog" or "raw"');
  });

  it('defaults to the changelog without a body', async () => {
    const a = await app();
    const res = await a.inject({ method: 'POST', url: '/admin/dedupe-state/reset' });
    expect(res.statusCode).toBe(202);
    expect(await readFile(join(dir, 'RESET-REQUESTED'), 'utf8')).toBe('changelog\n');
  });
});
