import { clearState, logTail, type ProcessFiles, readPid, readState, writeState } from './process-files.ts';
import { isAlive, isOurProcess, sleep, terminate } from './processes.ts';

/** What every saved state of a running JVM server holds. */
export type JvmServiceState = { pid: number; startedAt: string };

/** The per-server pieces of the lifecycle: where its files are, how it is recognised and probed. */
export interface JvmService<S extends JvmServiceState> {
  /** Names the server in log lines and errors ("broker", "schema registry"). */
  what: string;
  files(dataDir: string): ProcessFiles;
  /** A string the wrapper's command line holds only for this data dir's server. */
  marker(dataDir: string): string;
  /** True when the server answers as the one this state describes (within `timeoutMs`). */
  answers(state: S, timeoutMs: number): Promise<boolean>;
  /** Between SIGTERM and SIGKILL on stop. */
  stopGraceMs: number;
}

/** Polls until the server answers. Fails early if the process dies; false on timeout. */
export async function waitUntilReady<S extends JvmServiceState>(
  service: JvmService<S>,
  state: S,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(state.pid)) return false;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    if (await service.answers(state, Math.min(2_000, remaining))) return true;
    await sleep(200);
  }
}

/** A server from an earlier start that still answers is reused; anything else stale is cleared. */
export async function adoptRunning<S extends JvmServiceState>(
  service: JvmService<S>,
  dataDir: string,
  startTimeoutMs: number,
  log: (line: string) => void,
): Promise<S | undefined> {
  const files = service.files(dataDir);
  const pid = readPid(files);
  if (pid === undefined) return undefined;
  if (!isOurProcess(pid, service.marker(dataDir))) {
    log(`removing stale pid file (process ${pid} is gone)`);
    clearState(files);
    return undefined;
  }
  const state = readState<S>(files);
  if (state?.pid === pid) {
    // A server that started moments ago (by another process) gets the rest of its start budget.
    const age = Date.now() - Date.parse(state.startedAt);
    if (await waitUntilReady(service, state, Math.max(3_000, startTimeoutMs - age))) return state;
  }
  log(`${service.what} process ${pid} does not answer; stopping it`);
  await terminate(pid, service.stopGraceMs);
  clearState(files);
  return undefined;
}

/** Waits for a just launched server; on failure stops it, clears its files and throws with the log's tail. */
export async function awaitStarted<S extends JvmServiceState>(
  service: JvmService<S>,
  dataDir: string,
  state: S,
  startTimeoutMs: number,
  context: string,
): Promise<void> {
  if (await waitUntilReady(service, state, startTimeoutMs)) return;
  const died = !isAlive(state.pid);
  const files = service.files(dataDir);
  await terminate(state.pid, 5_000);
  clearState(files);
  throw new Error(
    `${service.what} ${died ? 'exited' : `did not answer within ${startTimeoutMs} ms`} ` +
      `(${context}). Tail of ${files.log}:\n${logTail(files)}`,
  );
}

export type StartJvmService<S> = {
  startTimeoutMs: number;
  log: (line: string) => void;
  /** Where a reused server is found, for the log line ("127.0.0.1:9092", a URL). */
  address: (state: S) => string;
  /** Launches the server (fetching what it needs first) and returns its state; logs its own line. */
  launch: () => Promise<S>;
  /** Names the set-up in the error when it does not come up ("data dir …, brokers …"). */
  context: string;
};

/**
 * Starts the data dir's server: reuses the running one that answers, else launches it, saves its
 * state and waits until it answers (stopping it and throwing with its log's tail when it does not).
 */
export async function startJvmService<S extends JvmServiceState>(
  service: JvmService<S>,
  dataDir: string,
  o: StartJvmService<S>,
): Promise<{ state: S; reused: boolean }> {
  const existing = await adoptRunning(service, dataDir, o.startTimeoutMs, o.log);
  if (existing) {
    o.log(`reusing ${service.what} pid ${existing.pid} at ${o.address(existing)}`);
    return { state: existing, reused: true };
  }
  const startedAt = Date.now();
  const state = await o.launch();
  writeState(service.files(dataDir), state);
  await awaitStarted(service, dataDir, state, o.startTimeoutMs, o.context);
  o.log(`${service.what} ready in ${Date.now() - startedAt} ms`);
  return { state, reused: false };
}

/** Stops the data dir's server (SIGTERM, SIGKILL after the grace). Returns whether one was running. */
export async function stopJvmService<S extends JvmServiceState>(
  service: JvmService<S>,
  dataDir: string,
): Promise<boolean> {
  const files = service.files(dataDir);
  const pid = readPid(files);
  if (pid === undefined) return false;
  const running = isOurProcess(pid, service.marker(dataDir));
  if (running) await terminate(pid, service.stopGraceMs);
  clearState(files);
  return running;
}

/** Read-only: whether the data dir's server process lives, with its saved state (the caller probes it). */
export type JvmProcessProbe<S> =
  | { state: 'stopped'; stalePid?: number; logFile: string }
  | { state: 'alive'; pid: number; saved: S | undefined; logFile: string };

export function probeJvmProcess<S extends JvmServiceState>(
  service: JvmService<S>,
  dataDir: string,
): JvmProcessProbe<S> {
  const files = service.files(dataDir);
  const pid = readPid(files);
  if (pid === undefined) return { state: 'stopped', logFile: files.log };
  if (!isOurProcess(pid, service.marker(dataDir)))
    return { state: 'stopped', stalePid: pid, logFile: files.log };
  return { state: 'alive', pid, saved: readState<S>(files), logFile: files.log };
}
