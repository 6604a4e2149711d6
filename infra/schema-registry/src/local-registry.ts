import { mkdirSync } from 'node:fs';
import { freePort, isAlive, isOurProcess, sleep, terminate } from '@shopfloor/local-kafka';
import { findJava } from './java-home.ts';
import { launchRegistry } from './launch.ts';
import { apicurioVersion, ensureApicurio, resolveDataDir } from './paths.ts';
import {
  clearState,
  logTail,
  type RegistryState,
  readPid,
  readState,
  registryFiles,
  registryMarker,
  writeState,
} from './registry-state.ts';

export interface StartLocalRegistryOptions {
  /** Holds registry.pid, registry.json, registry.log. Relative paths resolve from the repo root. */
  dataDir: string;
  /** The broker that stores the schemas (KafkaSQL storage). */
  brokers: string[];
  /** Port of the HTTP API. 0 or undefined: a free port. */
  port?: number;
  /** Port of Quarkus' management interface (/health, /metrics). 0 or undefined: a free port. */
  managementPort?: number;
  /** The KafkaSQL journal topic (its snapshots go to `<topic>-snapshots`). Default kafkasql-journal. */
  journalTopic?: string;
  /** JVM heap flags. Default '-Xms64m -Xmx512m'. */
  heap?: string | undefined;
  log?: (line: string) => void;
  /** Stop the registry when this pid exits (e.g. the test runner's). */
  watchParentPid?: number | undefined;
  /** How long to wait for the registry to answer. Default 120 s (it is up in 18-40 s here). */
  startTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface LocalRegistry {
  /** Base URL of the Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7 */
  url: string;
  pid: number;
  dataDir: string;
  reused: boolean;
  stop(): Promise<void>;
}

export type LocalRegistryStatus =
  | { state: 'running'; pid: number; url: string; logFile: string }
  | { state: 'unresponsive'; pid: number; url?: string; logFile: string }
  | { state: 'stopped'; stalePid?: number; logFile: string };

const STOP_GRACE_MS = 15_000;
export const CCOMPAT_PATH = '/apis/ccompat/v7';
const urlOf = (state: Pick<RegistryState, 'port'>) => `http://127.0.0.1:${state.port}${CCOMPAT_PATH}`;

/** True when the Confluent-compatible API answers (KafkaSQL storage has caught up with its journal). */
export async function registryAnswers(url: string, timeoutMs = 2_000): Promise<boolean> {
  try {
    const res = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitUntilReady(state: RegistryState, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(state.pid)) return false;
    if (await registryAnswers(urlOf(state), Math.min(2_000, deadline - Date.now()))) return true;
    await sleep(250);
  }
  return false;
}

/** A registry from an earlier start that still answers is reused; anything else stale is cleared. */
async function adoptExisting(dataDir: string, startTimeoutMs: number, log: (line: string) => void) {
  const pid = readPid(dataDir);
  if (pid === undefined) return undefined;
  if (!isOurProcess(pid, registryMarker(dataDir))) {
    log(`removing stale pid file (process ${pid} is gone)`);
    clearState(dataDir);
    return undefined;
  }
  const state = readState(dataDir);
  if (state?.pid === pid) {
    const age = Date.now() - Date.parse(state.startedAt);
    if (await waitUntilReady(state, Math.max(3_000, startTimeoutMs - age))) return state;
  }
  log(`registry process ${pid} does not answer; stopping it`);
  await terminate(pid, STOP_GRACE_MS);
  clearState(dataDir);
  return undefined;
}

function handle(dataDir: string, state: RegistryState, reused: boolean): LocalRegistry {
  return {
    url: urlOf(state),
    pid: state.pid,
    dataDir,
    reused,
    stop: async () => {
      await stopLocalRegistry(dataDir);
    },
  };
}

/** Starts Apicurio Registry with KafkaSQL storage on `brokers` (or reuses the data dir's running one). */
export async function startLocalRegistry(options: StartLocalRegistryOptions): Promise<LocalRegistry> {
  const dataDir = resolveDataDir(options.dataDir);
  const log = options.log ?? (() => {});
  const startTimeoutMs = options.startTimeoutMs ?? 120_000;
  mkdirSync(dataDir, { recursive: true });

  const existing = await adoptExisting(dataDir, startTimeoutMs, log);
  if (existing) {
    log(`reusing schema registry pid ${existing.pid} at ${urlOf(existing)}`);
    return handle(dataDir, existing, true);
  }

  const java = findJava(options.env ? { env: options.env } : {});
  const apicurioHome = await ensureApicurio(log);
  const startedAt = Date.now();
  const port = options.port || (await freePort());
  let managementPort = options.managementPort || (await freePort());
  while (managementPort === port) managementPort = await freePort();
  const journalTopic = options.journalTopic ?? 'kafkasql-journal';
  const files = registryFiles(dataDir);
  const pid = launchRegistry({
    java: java.java,
    apicurioHome,
    port,
    managementPort,
    brokers: options.brokers,
    journalTopic,
    heap: options.heap ?? '-Xms64m -Xmx512m',
    logPath: files.log,
    marker: registryMarker(dataDir),
    cwd: dataDir,
    watchParentPid: options.watchParentPid,
  });
  const state: RegistryState = {
    pid,
    port,
    managementPort,
    brokers: options.brokers,
    journalTopic,
    startedAt: new Date().toISOString(),
    version: apicurioVersion(),
    javaHome: java.home,
  };
  writeState(dataDir, state);
  log(`started Apicurio Registry ${state.version} pid ${pid} on ${urlOf(state)} (Java ${java.major})`);

  if (!(await waitUntilReady(state, startTimeoutMs))) {
    const died = !isAlive(pid);
    await terminate(pid, 5_000);
    clearState(dataDir);
    throw new Error(
      `schema registry ${died ? 'exited' : `did not answer within ${startTimeoutMs} ms`} ` +
        `(data dir ${dataDir}, brokers ${options.brokers.join(',')}). Tail of ${files.log}:\n${logTail(dataDir)}`,
    );
  }
  log(`schema registry ready in ${Date.now() - startedAt} ms`);
  return handle(dataDir, state, false);
}

/** Stops the data dir's registry (SIGTERM, SIGKILL after 15 s). Returns whether one was running. */
export async function stopLocalRegistry(dataDir: string): Promise<boolean> {
  const dir = resolveDataDir(dataDir);
  const pid = readPid(dir);
  if (pid === undefined) return false;
  const running = isOurProcess(pid, registryMarker(dir));
  if (running) await terminate(pid, STOP_GRACE_MS);
  clearState(dir);
  return running;
}

/** Read-only: reports the registry without changing anything. */
export async function localRegistryStatus(dataDir: string): Promise<LocalRegistryStatus> {
  const dir = resolveDataDir(dataDir);
  const logFile = registryFiles(dir).log;
  const pid = readPid(dir);
  if (pid === undefined) return { state: 'stopped', logFile };
  if (!isOurProcess(pid, registryMarker(dir))) return { state: 'stopped', stalePid: pid, logFile };
  const state = readState(dir);
  if (!state) return { state: 'unresponsive', pid, logFile };
  const url = urlOf(state);
  return (await registryAnswers(url))
    ? { state: 'running', pid, url, logFile }
    : { state: 'unresponsive', pid, url, logFile };
}
