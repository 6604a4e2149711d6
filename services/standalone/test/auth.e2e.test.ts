import { issueKey } from '@shopfloor/auth';
import { loadConfig } from '@shopfloor/config';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startShopfloor } from '../src/index.ts';
import { ids, startTestSystem, type TestSystem } from './system-harness.ts';

// The rule: auth off only on loopback without keys; a bootstrap key turns it on; any other address
// without one is refused before anything starts.
let sys: TestSystem;
let token: string;
beforeAll(async () => {
  token = (await issueKey()).token;
  sys = await startTestSystem({ SHOPFLOOR_BOOTSTRAP_KEY: token });
});
afterAll(async () => {
  await sys?.close();
});

describe('API keys on the whole system', () => {
  test('with a bootstrap key: no key 401, the key as X-API-Key or Bearer works, /health stays public', async () => {
    const id = ids('auth');
    const event = {
      eventId: id.event(1),
      eventTime: '2026-03-01T10:00:00Z',
      machineId: id.machine(),
      lineId: id.line(),
      factoryId: id.factory(),
      durationMs: 5,
      defectCount: 1,
    };
    const anonymous = await sys.post([event]);
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.code).toBe('UNAUTHORIZED');
    const keyed = await sys.post([event], { headers: { 'x-api-key': token } });
    expect(keyed.status).toBe(200);
    expect(keyed.body).toMatchObject({ accepted: 1 });
    const stats = await fetch(
      `${sys.url}/api/v1/stats?machineId=${encodeURIComponent(id.machine())}&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z`,
      { headers: { authorization: `Bearer ${token}` } },
    );
    expect(await stats.json()).toMatchObject({ eventsCount: 1, defectsCount: 1 });
    expect(
      (await sys.get('/stats?machineId=x&start=2026-03-01T00:00:00Z&end=2026-03-02T00:00:00Z')).status,
    ).toBe(401);
    expect((await sys.get('/health')).status).toBe(200);
  });

  test('a non-loopback HOST without a bootstrap key is refused at start-up', async () => {
    const config = loadConfig({
      HOST: '0.0.0.0',
      PORT: '0',
      KAFKA_BROKERS: '127.0.0.1:1',
      SHOPFLOOR_DEMO: '0',
    });
    await expect(startShopfloor(config, pino({ level: 'silent' }))).rejects.toThrow(/API keys are required/);
  });
});
