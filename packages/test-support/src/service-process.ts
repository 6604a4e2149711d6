import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

export type ServiceName = 'gateway' | 'consumer' | 'projector' | 'query' | 'sensors' | 'metric-events';

/** One line a service wrote: pino JSON when it parses as an object, else just the text. */
export interface ServiceLogLine {
  stream: 'stdout' | 'stderr';
  /** Milliseconds since the process was spawned. */
  at: number;
  line: string;
  json?: Record<string, unknown>;
  /** pino's `msg`, or the whole line when it is not JSON. */
  msg: string;
}

export type LogPredicate = (entry: ServiceLogLine) => boolean;

export interface SpawnServiceOptions {
  /** A label for error messages and the log prefix (default: the service name). */
  label?: string;
  /** Mirror every line to this process' stderr, prefixed with the label (or set SHOPFLOOR_TEST_ECHO=1). */
  echo?: boolean;
}

export interface ServiceProcess {
  readonly name: ServiceName;
  readonly label: string;
  readonly pid: number;
  /** Every line written so far, in order (stdout and stderr interleaved as they arrive). */
  readonly logs: ServiceLogLine[];
  /** Resolves once the process has exited (never rejects). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly running: boolean;
  /**
   * The first line at index `fromIndex` or later that matches. Rejects past `timeoutMs`, or as soon
   * as the process exits without having written one, naming the last lines it wrote.
   */
  waitForLog(predicate: LogPredicate, timeoutMs?: number, fromIndex?: number): Promise<ServiceLogLine>;
  /** Polls `url` until it answers any HTTP status; rejects past `timeoutMs` or if the process exits. */
  waitForHttp(url: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs. Idempotent. */
  stop(
    signal?: NodeJS.Signals,
    timeoutMs?: number,
  ): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILL at once (a crash), and waits for the exit. */
  kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** The last `n` lines, for error messages. */
  tail(n?: number): string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WATCHDOG = fileURLToPath(new URL('./parent-watchdog.ts', import.meta.url));
/** Variables a service may take from the test process; the rest of its environment is explicit. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'JAVA_HOME'];
const EXIT_WAIT_AFTER_KILL_MS = 10_000;

const live = new Set<ServiceProcess>();
const children = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Last resort for a test process that exits without its afterAll (the watchdog in each child
  // covers the test process being killed outright).
  process.on('exit', () => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
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
const TIMED_OUT = Symbol('timed out');

/**
 * Starts `services/<name>/src/main.ts` as its own node process (tsx loader), with `env` on top of a
 * minimal inherited environment (PATH, HOME, TMPDIR, ...), so no SHOPFLOOR_* variable of the test
 * process leaks in. Its output is captured line by line. Every process is registered until it
 * exits: call `stopAllServices()` in afterAll/afterEach. It also ends itself if this process dies.
 */
export function spawnService(
  name: ServiceName,
  env: Record<string, string>,
  options: SpawnServiceOptions = {},
): ServiceProcess {
  installExitHook();
  const label = options.label ?? name;
  const echo = options.echo ?? process.env.SHOPFLOOR_TEST_ECHO === '1';
  const childEnv: Record<string, string> = {};
  for (const key of INHERITED) {
    const value = process.env[key];
    if (value !== undefined) childEnv[key] = value;
  }
  Object.assign(childEnv, env, { SHOPFLOOR_TEST_PARENT_PID: String(process.pid) });

  const started = Date.now();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '--import', WATCHDOG, path.join(REPO_ROOT, 'services', name, 'src', 'main.ts')],
    { cwd: REPO_ROOT, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: false },
  );
  if (child.pid === undefined) throw new Error(`${label}: could not spawn node`);
  children.add(child);

  const logs: ServiceLogLine[] = [];
  const listeners = new Set<() => void>();
  const notify = () => {
    for (const l of [...listeners]) l();
  };
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream], crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) => {
      let json: Record<string, unknown> | undefined;
      if (line.startsWith('{')) {
        try {
          const parsed: unknown = JSON.parse(line);
          if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
            json = parsed as Record<string, unknown>;
        } catch {}
      }
      const msg = typeof json?.msg === 'string' ? json.msg : line;
      logs.push({ stream, at: Date.now() - started, line, msg, ...(json ? { json } : {}) });
      if (echo) process.stderr.write(`[${label}] ${line}\n`);
      notify();
    });
  }

  let running = true;
  let onSpawnError: Error | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      children.delete(child);
      live.delete(service);
      // Let the last buffered lines of stdout/stderr arrive before waiters give up.
      setImmediate(() => {
        notify();
        resolve({ code, signal });
      });
    });
    child.once('error', (err) => {
      onSpawnError = err;
      if (child.exitCode === null && child.signalCode === null) return;
      running = false;
      resolve({ code: null, signal: null });
    });
  });

  const tail = (n = 30) =>
    logs
      .slice(-n)
      .map((l) => `  ${l.line}`)
      .join('\n');

  const waitForLog = (predicate: LogPredicate, timeoutMs = 30_000, fromIndex = 0) =>
    new Promise<ServiceLogLine>((resolve, reject) => {
      let next = fromIndex;
      let settled = false;
      const finish = (err: Error | undefined, entry?: ServiceLogLine) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        listeners.delete(check);
        if (err) reject(err);
        else resolve(entry!);
      };
      const check = () => {
        for (; next < logs.length; next++) {
          const entry = logs[next]!;
          if (predicate(entry)) return finish(undefined, entry);
        }
        if (!running) {
          finish(
            new Error(
              `${label} exited (${child.exitCode ?? child.signalCode}) without the awaited log line${onSpawnError ? `: ${onSpawnError.message}` : ''}; last lines:\n${tail()}`,
            ),
          );
        }
      };
      const timer = setTimeout(
        () =>
          finish(new Error(`${label}: no matching log line within ${timeoutMs} ms; last lines:\n${tail()}`)),
        timeoutMs,
      );
      listeners.add(check);
      check();
    });

  const waitForHttp = async (url: string, timeoutMs = 60_000) => {
    const deadline = Date.now() + timeoutMs;
    let lastError = '';
    while (Date.now() < deadline) {
      if (!running) throw new Error(`${label} exited before ${url} answered; last lines:\n${tail()}`);
      try {
        const res = await fetch(url, {
          signal: AbortSignal.timeout(Math.max(1, Math.min(2_000, deadline - Date.now()))),
        });
        await res.arrayBuffer();
        return;
      } catch (err) {
        lastError = (err as Error).message;
      }
      await sleep(100);
    }
    throw new Error(
      `${label}: ${url} did not answer within ${timeoutMs} ms (${lastError}); last lines:\n${tail()}`,
    );
  };

  let stopping: Promise<{ code: number | null; signal: NodeJS.Signals | null }> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) => {
    stopping ??= (async () => {
      if (running) child.kill(signal);
      const result = await withTimeout(exited, timeoutMs);
      if (result !== TIMED_OUT) return result;
      process.stderr.write(`[${label}] did not exit ${timeoutMs} ms after ${signal}; sending SIGKILL\n`);
      child.kill('SIGKILL');
      const killed = await withTimeout(exited, EXIT_WAIT_AFTER_KILL_MS);
      if (killed === TIMED_OUT) throw new Error(`${label} (pid ${child.pid}) survived SIGKILL`);
      return killed;
    })();
    return stopping;
  };

  const service: ServiceProcess = {
    name,
    label,
    pid: child.pid,
    logs,
    exited,
    get running() {
      return running;
    },
    waitForLog,
    waitForHttp,
    stop,
    kill: () => stop('SIGKILL', EXIT_WAIT_AFTER_KILL_MS),
    tail,
  };
  live.add(service);
  return service;
}

/** Stops every service process still running (SIGTERM, then SIGKILL past `timeoutMs`), in parallel. */
export async function stopAllServices(timeoutMs = 20_000): Promise<void> {
  const results = await Promise.allSettled([...live].map((s) => s.stop('SIGTERM', timeoutMs)));
  const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed.length > 0)
    throw new AggregateError(
      failed.map((f) => f.reason),
      'some services did not stop',
    );
}

/** A TCP port free on 127.0.0.1 right now (for services that must be told their port up front). */
export { freePort } from '@shopfloor/local-kafka';
