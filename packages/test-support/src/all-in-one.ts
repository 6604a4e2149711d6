import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface AllInOne {
  child: ChildProcess;
  /** Everything it wrote so far (stdout: JSON log lines, stderr: fatal messages). */
  output(): string;
  /** Resolves with the exit code (or signal) once it exited. */
  exited: Promise<number | string>;
  /** Whether it leads a process group of its own. */
  detached: boolean;
}

export interface SpawnAllInOneOptions {
  /**
   * A process group of its own, so a test can send what a terminal's Ctrl-C sends
   * (`process.kill(-pid, 'SIGINT')`). Default: in the test's group.
   */
  detached?: boolean;
}

/**
 * The start command (`services/standalone/src/main.ts`, the supervisor) as a child process, run by
 * node itself (not through the tsx wrapper) so its pid is the process the broker's watchdog follows.
 */
export function spawnAllInOne(env: Record<string, string>, options: SpawnAllInOneOptions = {}): AllInOne {
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/standalone/src/main.ts'], {
    cwd: REPO_ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    detached: options.detached ?? false,
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
  return { child, output: () => text, exited, detached: options.detached ?? false };
}

/** One JSON log line of the system (the fields the tests read). */
export type SystemLogLine = { msg?: string; component?: string; [field: string]: unknown };

/**
 * The first JSON log line `match` accepts, polling the output; throws with the output's tail past
 * `timeoutMs`.
 */
export async function waitForLogLine(
  p: AllInOne,
  match: (line: SystemLogLine) => boolean,
  timeoutMs: number,
): Promise<SystemLogLine> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const raw of p.output().split('\n')) {
      if (!raw.startsWith('{')) continue;
      const line = JSON.parse(raw) as SystemLogLine;
      if (match(line)) return line;
    }
    if (Date.now() > deadline) throw new Error(`no such log line in time:\n${p.output().slice(-4000)}`);
    await sleep(200);
  }
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
    await sleep(200);
  }
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
  spawn(env: Record<string, string>, options?: SpawnAllInOneOptions): AllInOne;
  latest(): AllInOne | undefined;
} {
  const running: AllInOne[] = [];
  afterAll(async () => {
    for (const p of running) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      // A detached start is a process group: its forked children go with it.
      if (p.detached) process.kill(-p.child.pid!, 'SIGKILL');
      else p.child.kill('SIGKILL');
    }
    await Promise.all(running.map((p) => p.exited));
    await cleanup();
  });
  return {
    spawn(env, options) {
      const p = spawnAllInOne(env, options);
      running.push(p);
      return p;
    },
    latest: () => running.at(-1),
  };
}
