import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Apicurio Registry 3.x is compiled for Java 21 (class file version 65). */
export const MIN_JAVA_MAJOR = 21;

export interface JavaInstall {
  home: string;
  java: string;
  major: number;
}

export interface FindJavaOptions {
  env?: NodeJS.ProcessEnv;
  /** Where JDKs are installed side by side. Default /usr/lib/jvm. */
  jvmRoot?: string;
  minMajor?: number;
}

/** "25.0.3" → 25, "1.8.0_402" → 8, "21" → 21. */
export function javaMajor(version: string): number | undefined {
  const m = /^(\d+)(?:\.(\d+))?/.exec(version.trim());
  if (!m) return undefined;
  const first = Number(m[1]);
  return first === 1 && m[2] !== undefined ? Number(m[2]) : first;
}

/** The version of the JDK at `home`: its `release` file, else what `java -version` prints. */
export function javaVersionAt(home: string): string | undefined {
  try {
    const release = readFileSync(join(home, 'release'), 'utf8');
    const m = /^JAVA_VERSION="([^"]+)"/m.exec(release);
    if (m?.[1]) return m[1];
  } catch {
    // no release file: ask the binary
  }
  const java = join(home, 'bin', 'java');
  if (!existsSync(java)) return undefined;
  try {
    // `java -version` prints to stderr; the spawn succeeds, so read it from the thrown error or output.
    const out = execFileSync(java, ['-version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /version "([^"]+)"/.exec(out)?.[1];
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    return /version "([^"]+)"/.exec(stderr)?.[1];
  }
}

function candidates(env: NodeJS.ProcessEnv, jvmRoot: string): { home: string; from: string }[] {
  const list: { home: string; from: string }[] = [];
  if (env.JAVA_HOME) list.push({ home: env.JAVA_HOME, from: 'JAVA_HOME' });
  let entries: string[] = [];
  try {
    entries = readdirSync(jvmRoot).sort().reverse(); // newest-looking names first
  } catch {
    // no such folder
  }
  for (const name of entries) list.push({ home: join(jvmRoot, name), from: jvmRoot });
  return list;
}

/**
 * Finds a JDK that can run the registry: JAVA_HOME first, then every JDK under /usr/lib/jvm (the
 * newest-named first). Throws an error that lists what was looked at and why it did not fit.
 */
export function findJava(options: FindJavaOptions = {}): JavaInstall {
  const env = options.env ?? process.env;
  const jvmRoot = options.jvmRoot ?? '/usr/lib/jvm';
  const minMajor = options.minMajor ?? MIN_JAVA_MAJOR;
  const tried: string[] = [];
  for (const { home, from } of candidates(env, jvmRoot)) {
    const java = join(home, 'bin', 'java');
    if (!existsSync(java)) {
      tried.push(`${home} (${from}): no bin/java`);
      continue;
    }
    const version = javaVersionAt(home);
    const major = version === undefined ? undefined : javaMajor(version);
    if (major !== undefined && major >= minMajor) return { home, java, major };
    tried.push(`${home} (${from}): Java ${version ?? 'of unknown version'}`);
  }
  throw new Error(
    `Apicurio Registry needs Java ${minMajor} or newer and none was found. Looked at ` +
      `${env.JAVA_HOME ? 'JAVA_HOME and ' : 'JAVA_HOME (unset) and '}${jvmRoot}/*:\n` +
      `${tried.length ? tried.map((t) => `  - ${t}`).join('\n') : '  (nothing there)'}\n` +
      `Install a JDK ${minMajor}+ (e.g. Temurin) under ${jvmRoot} or point JAVA_HOME at one.`,
  );
}
