import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AllInOne {
  child: ChildProcess;
  /** Everything it wrote so far (stdout: JSON log lines, stderr: fatal messages). */
  output(): string;
  /** Resolves with the exit code (or signal) once it exited. */
  exited: Promise<number | string>;
}

/**
 * The all-in-one start (`services/standalone/src/main.ts`) as a child process, run by node itself
 * (not through the tsx wrapper) so its pid is the process the broker's watchdog follows.
 */
export function spawnAllInOne(env: Record<string, string>): AllInOne {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/standalone/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  child.stdout!.on('data', (b: Buffer) => {
    text += b.toString();
  });
  child.stderr!.on('data', (b: Buffer) => {
    text += b.toString();
  });
  const exited = new Promise<number | string>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return { child, output: () => text, exited };
}

/** Waits until the all-in-one says it is up; throws with its output if it exits or times out. */
export async function waitUntilUp(p: AllInOne, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void p.exited.then(() => {
    exited = true;
  });
  while (!p.output().includes('Shopfloor is up on')) {
    if (exited || Date.now() > deadline)
      throw new Error(`the all-in-one did not come up:\n${p.output().slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Runs `shopfloor <args>` as a child process; resolves with its exit code and output. */
export function runShopfloor(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'tools/shopfloor-cli/src/main.ts', ...args],
      { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Processes whose command line names `dir` (the broker's and the registry's JVMs and watchdogs). */
export function processesOf(dir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/**
 * Whether the process has exited: no such pid, or a zombie its new parent (init, once the process
 * that started it is gone) has not reaped yet. A zombie runs nothing and holds no port or file.
 */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z';
  } catch {
    return true;
  }
}

/**
 * The all-in-one processes of one test file: `spawn` starts and tracks each, and the afterAll it
 * registers SIGKILLs whatever a failed test left running, waits for their exits, then runs
 * `cleanup` (removing the data dir, after a pause for watchdogs to stop a broker left behind).
 */
export function trackedAllInOnes(cleanup: () => unknown): {
  spawn(env: Record<string, string>): AllInOne;
  latest(): AllInOne | undefined;
} {
  const running: AllInOne[] = [];
  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(running.map((p) => p.exited));
    await cleanup();
  });
  return {
    spawn(env) {
      const p = spawnAllInOne(env);
      running.push(p);
      return p;
    },
    latest: () => running.at(-1),
  };
}
