import type { ClickHouseReader } from '@shopfloor/clickhouse';
import { afterAll, expect, test } from 'vitest';
import { buildQueryApp } from './app.ts';

// What every sensor route does when the store cannot answer; what they answer from real data is
// tested against the embedded ClickHouse (test/*.integration.test.ts).

const failing: ClickHouseReader = {
  mode: 'embedded',
  async query() {
    throw new Error('connection refused');
  },
};
const app = await buildQueryApp({ reader: failing });
afterAll(() => app.close());

const window = 'from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z';

test.each([
  '/api/equipment',
  '/api/equipment/EQ-1/status',
  `/api/equipment/EQ-1/sensor-history?sensorType=pressure&${window}`,
  `/api/metrics/production?${window}`,
  '/api/sensors/types',
  '/api/alerts/history',
  '/api/alerts/critical',
])('%s: a failing store is 503 CLICKHOUSE_UNAVAILABLE with Retry-After', async (url) => {
  const res = await app.inject({ method: 'GET', url });
  expect(res.statusCode).toBe(503);
  expect(res.headers['retry-after']).toBe('2');
  expect(res.json()).toEqual({
    code: 'CLICKHOUSE_UNAVAILABLE',
    message: 'The statistics store failed: connection refused',
  });
});
