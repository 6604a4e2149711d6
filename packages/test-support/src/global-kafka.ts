// vitest globalSetup for the integration project: one real Kafka broker per test run, on free
// ports in a fresh temp dir, and next to it the schema registry (Apicurio, its schemas stored on that
// broker), both stopped and removed at teardown. Both also watch this process, so a runner that
// crashes before teardown does not leave them running.
// Set SHOPFLOOR_TEST_KAFKA_BROKERS=host:port[,...] to run against an existing broker instead, and
// SHOPFLOOR_TEST_SCHEMA_REGISTRY_URL=http://host:port/apis/ccompat/v7 for an existing registry.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaJars, type LocalKafka, localKafkaStatus, startLocalKafka } from '@shopfloor/local-kafka';
import { ensureApicurio, type LocalRegistry, startLocalRegistry } from '@shopfloor/local-schema-registry';
import type { TestProject } from 'vitest/node';
import type {} from './provided-context.ts';

const PREFIX = 'shopfloor-kafka-';

/**
 * A runner killed before teardown leaves its temp dir behind (its broker dies with it). Remove such
 * dirs once they are old and have no live broker; younger ones may belong to a concurrent run.
 */
async function removeAbandonedDirs(maxAgeMs = 10 * 60_000): Promise<void> {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith(PREFIX)) continue;
    const dir = join(tmpdir(), name);
    try {
      if (Date.now() - statSync(dir).mtimeMs < maxAgeMs) continue;
      if ((await localKafkaStatus(dir)).state === 'stopped') rmSync(dir, { recursive: true, force: true });
    } catch {
      // raced with another cleaner
    }
  }
}

/** The registry on `brokers`, in `dataDir`; returns its URL and how to stop it. */
async function startRegistry(
  brokers: string[],
  dataDir: string,
  log: (line: string) => void,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const external = process.env.SHOPFLOOR_TEST_SCHEMA_REGISTRY_URL;
  if (external) return { url: external, stop: async () => {} };
  await ensureApicurio(log);
  const started = Date.now();
  const registry: LocalRegistry = await startLocalRegistry({ dataDir, brokers, watchParentPid: process.pid });
  log(`schema registry ${registry.url} ready in ${Date.now() - started} ms`);
  return { url: registry.url, stop: () => registry.stop() };
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const log = (line: string) => process.stderr.write(`[global-kafka] ${line}\n`);
  const external = process.env.SHOPFLOOR_TEST_KAFKA_BROKERS;
  if (external) {
    const brokers = external.split(',').map((broker) => broker.trim());
    project.provide('kafkaBrokers', brokers);
    const registryDir = mkdtempSync(join(tmpdir(), PREFIX));
    const registry = await startRegistry(brokers, registryDir, log);
    project.provide('schemaRegistryUrl', registry.url);
    return async () => {
      try {
        await registry.stop();
      } finally {
        rmSync(registryDir, { recursive: true, force: true });
      }
    };
  }

  await ensureKafkaJars(log);
  await removeAbandonedDirs();
  const dataDir = mkdtempSync(join(tmpdir(), PREFIX));
  const started = Date.now();
  let kafka: LocalKafka | undefined;
  let registry: { url: string; stop: () => Promise<void> } | undefined;
  const stopAll = async () => {
    try {
      await registry?.stop();
    } finally {
      try {
        await kafka?.stop();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    }
  };
  try {
    kafka = await startLocalKafka({ dataDir, watchParentPid: process.pid });
    log(`broker ${kafka.brokers.join(',')} ready in ${Date.now() - started} ms (data ${dataDir})`);
    registry = await startRegistry(kafka.brokers, join(dataDir, 'schema-registry'), log);
  } catch (err) {
    await stopAll();
    throw err;
  }
  project.provide('kafkaBrokers', kafka.brokers);
  project.provide('schemaRegistryUrl', registry.url);
  return stopAll;
}
