import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ensureFetched } from '@shopfloor/jvm-process';
import { REPO_ROOT } from '@shopfloor/local-kafka';

const REGISTRY_INFRA_DIR = join(REPO_ROOT, 'infra', 'schema-registry');

/** The single Apicurio Registry version pin (also the docker-compose image tag). */
export function apicurioVersion(): string {
  return readFileSync(join(REGISTRY_INFRA_DIR, 'VERSION'), 'utf8').trim();
}

/** `<cache>/<version>`, where `<cache>` is $SHOPFLOOR_APICURIO_CACHE or `<repo>/.cache/apicurio`. */
export function apicurioHome(env: NodeJS.ProcessEnv = process.env): string {
  const cache = env.SHOPFLOOR_APICURIO_CACHE
    ? resolve(env.SHOPFLOOR_APICURIO_CACHE)
    : join(REPO_ROOT, '.cache', 'apicurio');
  return join(cache, apicurioVersion());
}

/** Relative data dirs resolve against the repository root, so every script agrees on them. */
export function resolveDataDir(dataDir: string): string {
  return resolve(REPO_ROOT, dataDir);
}

/** Returns the unpacked registry folder, fetching it from Maven Central first if it is missing. */
export async function ensureApicurio(log: (line: string) => void = () => {}): Promise<string> {
  const home = apicurioHome();
  await ensureFetched({
    what: 'Apicurio Registry',
    dir: home,
    complete: join(home, '.complete'),
    script: join(REGISTRY_INFRA_DIR, 'bin', 'fetch-apicurio.sh'),
    log,
  });
  return home;
}
