// A registry of this test's own (same runner as the suite's, KafkaSQL storage on the test broker under
// a journal topic of its own), so it can be stopped and restarted: the codecs keep going on cached
// schemas while it is down, and schemas and ids survive its restart. Also the runner's reuse and
// stale-pid handling.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAvroSchema } from '@shopfloor/contracts';
import {
  type LocalRegistry,
  localRegistryStatus,
  startLocalRegistry,
} from '@shopfloor/local-schema-registry';
import type {} from '@shopfloor/test-support';
import { afterAll, expect, inject, test } from 'vitest';
import { valueSubject } from '../src/register-record-codecs.ts';
import { RegistryClient } from '../src/registry-client.ts';
import { registryCodecs } from '../src/registry-codecs.ts';
import { sampleRecords } from '../src/sample-records.ts';
import { editFields, freshTopics } from './topics.ts';

const brokers = inject('kafkaBrokers');
const dataDir = mkdtempSync(join(tmpdir(), 'shopfloor-registry-test-'));
const journalTopic = `kafkasql-journal-${randomUUID().slice(0, 8)}`;
const lines: string[] = [];
let registry: LocalRegistry | undefined;

const start = () =>
  startLocalRegistry({
    dataDir,
    brokers,
    journalTopic,
    watchParentPid: process.pid,
    log: (l) => lines.push(l),
  });

afterAll(async () => {
  await registry?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

test('registry down while running, then restarted: codecs keep going on cached schemas; ids survive', async () => {
  registry = await start();
  expect(registry.reused).toBe(false);
  const url = registry.url;
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/apis\/ccompat\/v7$/);
  // Starting again while it runs reuses it.
  const again = await start();
  expect(again).toMatchObject({ reused: true, pid: registry.pid, url });
  expect(await localRegistryStatus(dataDir)).toMatchObject({ state: 'running', pid: registry.pid, url });

  const topics = freshTopics();
  const raw = sampleRecords().raw[0] as Record<string, unknown>;
  const v1 = await registryCodecs({ url, topics });
  const writtenByV1 = v1.raw.encode(raw as never);
  const evolved = editFields(loadAvroSchema('raw'), (f) => [
    ...f,
    { name: 'shift', type: ['null', 'string'], default: null },
  ]);
  const v2 = await registryCodecs({ url, topics, schemas: { raw: evolved } });
  const writtenByV2 = v2.raw.encode({ ...raw, shift: 'night' } as never);

  await registry.stop();
  expect((await localRegistryStatus(dataDir)).state).toBe('stopped');

  // Down: encoding needs nothing, decoding every version known at start-up needs nothing either.
  expect(v2.raw.encode({ ...raw, shift: 'day' } as never).readUInt32BE(1)).toBe(writtenByV2.readUInt32BE(1));
  expect(await v2.raw.decode(writtenByV1)).toEqual({ ok: true, value: { ...raw, shift: null } });
  expect(await v2.raw.decode(writtenByV2)).toEqual({ ok: true, value: { ...raw, shift: 'night' } });
  // v1 started before v2 existed: v2's id is not in its cache, and the registry is down.
  const unreachable = await v1.raw.decode(writtenByV2);
  expect(unreachable).toEqual({
    ok: false,
    error: expect.stringContaining(`schema registry at ${url} is unreachable`),
  });
  // Start-up with the registry down is refused (no half-started codecs).
  await expect(registryCodecs({ url, topics })).rejects.toMatchObject({
    code: 'SCHEMA_REGISTRY_UNAVAILABLE',
  });

  // A pid file left by a process that is gone is cleared at the next start.
  const dead = spawnSync('true').pid;
  writeFileSync(join(dataDir, 'registry.pid'), `${dead}\n`);
  expect(await localRegistryStatus(dataDir)).toMatchObject({ state: 'stopped', stalePid: dead });
  registry = await start();
  expect(lines.some((l) => l.includes(`removing stale pid file (process ${dead} is gone)`))).toBe(true);

  // Restarted on the same journal topic: same subjects, versions and ids (KafkaSQL storage).
  const after = await registryCodecs({ url: registry.url, topics, schemas: { raw: evolved } });
  expect(await new RegistryClient(registry.url).versions(valueSubject(topics.raw))).toEqual([1, 2]);
  expect(after.raw.encode({ ...raw, shift: 'night' } as never)).toEqual(writtenByV2);
  expect(await after.raw.decode(writtenByV1)).toEqual({ ok: true, value: { ...raw, shift: null } });
}, 300_000);
