import { embeddedClickHouseForFile } from '@shopfloor/clickhouse/testing/vitest';
import type { HttpApp } from '@shopfloor/http-kit';
import { afterAll, beforeAll } from 'vitest';
import { buildQueryApp } from '../src/app.ts';

/**
 * The query app on a fresh embedded ClickHouse for the calling test file (started in beforeAll,
 * closed in afterAll), and `get(url)`: the status and the JSON answer of an injected GET.
 */
export function queryAppForFile() {
  const db = embeddedClickHouseForFile();
  let app: HttpApp | undefined;
  beforeAll(async () => {
    app = await buildQueryApp({ reader: db.ch.reader });
  });
  afterAll(async () => {
    await app?.close();
  });
  const appOf = () => {
    if (!app) throw new Error('the query app starts in beforeAll: use it in a hook or a test');
    return app;
  };
  return {
    db,
    app: appOf,
    get: async (url: string) => {
      const res = await appOf().inject({ method: 'GET', url });
      return { status: res.statusCode, body: res.json() };
    },
  };
}
