import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureFetched } from '@shopfloor/jvm-process';

/** The repository root (this file lives in infra/kafka/src). */
export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const KAFKA_INFRA_DIR = join(REPO_ROOT, 'infra', 'kafka');

/** The single Kafka version pin. */
export function kafkaVersion(): string {
  return readFileSync(join(KAFKA_INFRA_DIR, 'VERSION'), 'utf8').trim();
}

/** `<cache>/<version>/libs`, where `<cache>` is $SHOPFLOOR_KAFKA_CACHE or `<repo>/.cache/kafka`. */
export function kafkaLibsDir(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.SHOPFLOOR_KAFKA_CACHE
    ? resolve(env.SHOPFLOOR_KAFKA_CACHE)
    : join(REPO_ROOT, '.cache', 'kafka');
  return join(cache, kafkaVersion(), 'libs');
}

/** Relative data dirs are resolved against the repository root, so every script agrees on them. */
export function resolveDataDir(dataDir: string): string {
  return resolve(REPO_ROOT, dataDir);
}

/** Returns the libs folder, fetching the jars from Maven Central first if they are missing. */
export async function ensureKafkaJars(log: (line: string) => void = () => {}): Promise<string> {
  const libs = kafkaLibsDir();
  await ensureFetched({
    what: 'kafka jars',
    dir: libs,
    complete: join(libs, '..', '.complete'),
    script: join(KAFKA_INFRA_DIR, 'bin', 'fetch-kafka.sh'),
    log,
  });
  return libs;
}
