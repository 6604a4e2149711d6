// vitest globalSetup for the integration project: one real Kafka broker per test run, on free
// ports in a fresh temp dir, stopped and removed at teardown. The broker also watches this
// process, so a runner that crashes before teardown does not leave it running.
// Set SHOPFLOOR_TEST_KAFKA_BROKERS=host:port[,...] to run against an existing broker instead.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureKafkaJars, type LocalKafka, localKafkaStatus, startLocalKafka } from '@shopfloor/local-kafka';
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

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env.SHOPFLOOR_TEST_KAFKA_BROKERS;
  if (external) {
    project.provide(
      'kafkaBrokers',
      external.split(',').map((broker) => broker.trim()),
    );
    return async () => {};
  }

  const log = (line: string) => process.stderr.write(`[global-kafka] ${line}\n`);
  await ensureKafkaJars(log);
  await removeAbandonedDirs();
  const dataDir = mkdtempSync(join(tmpdir(), PREFIX));
  const started = Date.now();
  let kafka: LocalKafka;
  try {
    kafka = await startLocalKafka({ dataDir, watchParentPid: process.pid });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  log(`broker ${kafka.brokers.join(',')} ready in ${Date.now() - started} ms (data ${dataDir})`);
  project.provide('kafkaBrokers', kafka.brokers);

  return async () => {
    try {
      await kafka.stop();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  };
}
