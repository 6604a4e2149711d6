import type { ChildProcess } from 'node:child_process';

export type ExitStatus = { code: number | null; signal: NodeJS.Signals | null };

const EXIT_WAIT_AFTER_KILL_MS = 10_000;
const TIMED_OUT = Symbol('timed out');
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

/**
 * Registers a child until it exits. Last resort for a test process that exits without its
 * afterAll: the children still running are killed (the watchdog in each child covers the test
 * process being killed outright).
 */
export function trackChild(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    });
  }
  children.add(child);
  child.once('exit', () => children.delete(child));
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<typeof TIMED_OUT>((resolve) => {
      timer = setTimeout(() => resolve(TIMED_OUT), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** Sends `signal` (if still running), waits up to `timeoutMs` for the exit, then SIGKILLs. */
export async function stopChild(
  child: ChildProcess,
  exited: Promise<ExitStatus>,
  running: boolean,
  how: { label: string; signal: NodeJS.Signals; timeoutMs: number },
): Promise<ExitStatus> {
  if (running) child.kill(how.signal);
  const result = await withTimeout(exited, how.timeoutMs);
  if (result !== TIMED_OUT) return result;
  process.stderr.write(
    `[${how.label}] did not exit ${how.timeoutMs} ms after ${how.signal}; sending SIGKILL\n`,
  );
  child.kill('SIGKILL');
  const killed = await withTimeout(exited, EXIT_WAIT_AFTER_KILL_MS);
  if (killed === TIMED_OUT) throw new Error(`${how.label} (pid ${child.pid}) survived SIGKILL`);
  return killed;
}

export { EXIT_WAIT_AFTER_KILL_MS };
