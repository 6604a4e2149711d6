import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, type ServiceProcess, spawnService } from '@shopfloor/test-support';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';

// When the services run apart, the projector owns the embedded engine, so it is the process that
// serves the BI endpoint (SHOPFLOOR_BI_PORT), next to its query API, and stops it on SIGTERM.
const PASSWORD = 'projector-bi-pw';
let projector: ServiceProcess;
let dataDir: string;
let biUrl: string;

beforeAll(async () => {
  const prefix = `bi-proj-${randomBytes(4).toString('hex')}.`;
  dataDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-bi-proj-'));
  const [port, biPort] = [await freePort(), await freePort()];
  biUrl = `http://127.0.0.1:${biPort}`;
  projector = spawnService('projector', {
    KAFKA_BROKERS: inject('kafkaBrokers').join(','),
    SCHEMA_REGISTRY_URL: inject('schemaRegistryUrl'),
    SHOPFLOOR_TOPIC_PREFIX: prefix,
    SHOPFLOOR_PROJECTOR_GROUP: `${prefix}projector`,
    SHOPFLOOR_PARTITIONS: '1',
    SHOPFLOOR_DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    SHOPFLOOR_BI_PORT: String(biPort),
    SHOPFLOOR_BI_PASSWORD: PASSWORD,
  });
  await projector.waitForHttp(`${biUrl}/ping`, 90_000);
  // Fully started: the query API listens last, just before the SIGTERM handler is installed.
  await projector.waitForHttp(`http://127.0.0.1:${port}/dead-letters?limit=1`, 90_000);
});

afterAll(async () => {
  await projector?.stop();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

test('the projector serves the bi views read-only on SHOPFLOOR_BI_PORT', async () => {
  const query = (password: string, sql: string) =>
    fetch(`${biUrl}/?user=bi&password=${password}`, { method: 'POST', body: sql });
  const ok = await query(PASSWORD, 'SELECT count() FROM bi.events');
  expect([ok.status, await ok.text()]).toEqual([200, '0\n']);
  const write = await query(PASSWORD, "INSERT INTO bi.events (event_id) VALUES ('x')");
  expect(write.headers.get('x-clickhouse-exception-code')).toBe('164');
  expect((await query('wrong-password', 'SELECT 1')).status).toBe(403);
  const exit = await projector.stop('SIGTERM', 20_000);
  expect(exit.signal === null ? exit.code : exit.signal).toBe(0);
});
