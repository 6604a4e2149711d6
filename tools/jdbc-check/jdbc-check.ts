import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const projectDir = import.meta.dirname;
const jar = path.join(projectDir, 'target', 'jdbc-check.jar');

export interface JdbcCheckOutput {
  driver: string;
  server?: string;
  tables?: string[];
  /** `name type` of each column of bi.events. */
  eventsColumns?: string[];
  results?: Record<
    string,
    { columns?: string[]; rows?: unknown[][]; error?: JdbcError; updateCount?: number }
  >;
  error?: JdbcError;
}

export interface JdbcError {
  sqlState: string | null;
  code: number;
  message: string;
}

/** Builds target/jdbc-check.jar with Maven unless it is newer than every source (Maven fetches the driver). */
export async function buildJdbcCheck(): Promise<string> {
  if (!existsSync(jar) || newestSource(projectDir) > statSync(jar).mtimeMs) {
    await run('mvn', ['-q', '-B', 'package'], {
      cwd: projectDir,
      timeout: 600_000,
      maxBuffer: 16 * 1024 * 1024,
    });
  }
  return jar;
}

/** Runs the JDBC check (Java 17 on PATH) and parses the one JSON object it prints. */
export async function runJdbcCheck(options: {
  url: string;
  user: string;
  password: string;
  queries: Record<string, string>;
}): Promise<JdbcCheckOutput> {
  const dir = mkdtempSync(path.join(tmpdir(), 'jdbc-check-'));
  try {
    const file = path.join(dir, 'queries.sql');
    writeFileSync(
      file,
      Object.entries(options.queries)
        .map(([name, sql]) => `-- name: ${name}\n${sql}\n`)
        .join(''),
    );
    const { stdout } = await run('java', ['-jar', jar, options.url, options.user, options.password, file], {
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const line = stdout.split('\n').find((l) => l.startsWith('{'));
    if (!line) throw new Error(`jdbc-check printed no JSON: ${stdout}`);
    return JSON.parse(line) as JdbcCheckOutput;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function newestSource(dir: string): number {
  let newest = statSync(path.join(dir, 'pom.xml')).mtimeMs;
  const walk = (d: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, entry.name);
      if (entry.isDirectory()) walk(p);
      else newest = Math.max(newest, statSync(p).mtimeMs);
    }
  };
  walk(path.join(dir, 'src'));
  return newest;
}
