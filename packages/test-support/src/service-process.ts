import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { EXIT_WAIT_AFTER_KILL_MS, type ExitStatus, stopChild, trackChild } from './child-exit.ts';
import { type LogPredicate, type ServiceLogLine, serviceLog } from './service-log.ts';

export type { LogPredicate, ServiceLogLine } from './service-log.ts';

export type ServiceName = 'gateway' | 'consumer' | 'projector' | 'query' | 'sensors' | 'metric-events';

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
  readonly exited: Promise<ExitStatus>;
  readonly running: boolean;
  /**
   * The first line at index `fromIndex` or later that matches. Rejects past `timeoutMs`, or as soon
   * as the process exits without having written one, naming the last lines it wrote.
   */
  waitForLog(predicate: LogPredicate, timeoutMs?: number, fromIndex?: number): Promise<ServiceLogLine>;
  /** Polls `url` until it answers any HTTP status; rejects past `timeoutMs` or if the process exits. */
  waitForHttp(url: string, timeoutMs?: number): Promise<void>;
  /** Sends `signal`, waits up to `timeoutMs` for the exit, then SIGKILLs. Idempotent. */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<ExitStatus>;
  /** SIGKILL at once (a crash), and waits for the exit. */
  kill(): Promise<ExitStatus>;
  /** The last `n` lines, for error messages. */
  tail(n?: number): string;
}

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const WATCHDOG = fileURLToPath(new URL('./parent-watchdog.ts', import.meta.url));
/** Variables a service may take from the test process; the rest of its environment is explicit. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'TZ', 'JAVA_HOME'];
const live = new Set<ServiceProcess>();

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
  trackChild(child);

  const log = serviceLog(label, started, echo);
  for (const stream of ['stdout', 'stderr'] as const) {
    createInterface({ input: child[stream], crlfDelay: Number.POSITIVE_INFINITY }).on('line', (line) =>
      log.add(stream, line),
    );
  }

  let running = true;
  let onSpawnError: Error | undefined;
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      live.delete(service);
      // Let the last buffered lines of stdout/stderr arrive before waiters give up.
      setImmediate(() => {
        log.notify();
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

  const { tail } = log;
  const waitForLog = (predicate: LogPredicate, timeoutMs = 30_000, fromIndex = 0) =>
    log.waitFor(predicate, timeoutMs, fromIndex, () =>
      running
        ? undefined
        : { status: String(child.exitCode ?? child.signalCode), spawnError: onSpawnError?.message },
    );

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

  let stopping: Promise<ExitStatus> | undefined;
  const stop = (signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 20_000) => {
    stopping ??= stopChild(child, exited, running, { label, signal, timeoutMs });
    return stopping;
  };

  const service: ServiceProcess = {
    name,
    label,
    pid: child.pid,
    logs: log.lines,
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
