// The standalone process and the schema registry: every schema registered before anything starts,
// and a registry that is down at start-up stops the start with a clear error, leaving nothing behind.
import { afterAll, expect, inject, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';

const registryUrl = inject('schemaRegistryUrl');
let system: TestSystem | undefined;
afterAll(async () => {
  await system?.close();
});

test('registry down at start-up: SCHEMA_REGISTRY_UNAVAILABLE, and nothing is left half started', async () => {
  const dead = 'http://127.0.0.1:9/apis/ccompat/v7';
  await expect(startTestSystem({ SCHEMA_REGISTRY_URL: dead })).rejects.toMatchObject({
    code: 'SCHEMA_REGISTRY_UNAVAILABLE',
    message: expect.stringContaining(`schema registry at ${dead} is unreachable`),
  });
}, 180_000);

// A full start (group joins, restore) is slow on a loaded machine: its own, longer budget.
test('registry up: every subject registered before the system answers, codecs write the Confluent header', async () => {
  // The embedded ClickHouse binds one data dir per process: had the failed start above left its
  // engine open, this start (another data dir) could not open its own.
  system = await startTestSystem({ SCHEMA_REGISTRY_URL: registryUrl });
  const subjects = (await (await fetch(`${registryUrl}/subjects`)).json()) as string[];
  for (const name of ['raw', 'dlq', 'state', 'changes', 'outcomes', 'invalid'])
    expect(subjects).toContain(`${system.prefix}events.${name}-value`);
  // The codecs it hands out write the Confluent header (magic byte 0, then the schema id).
  const bytes = system.codecs.invalid.encode({
    v: 1,
    topic: 't',
    partition: 0,
    offset: '0',
    error: 'e',
    value: null,
  });
  expect(bytes[0]).toBe(0);
  expect(await system.codecs.invalid.decode(bytes)).toMatchObject({ ok: true, value: { topic: 't' } });
  expect((await system.get('/health')).status).toBe(200);
}, 300_000);
