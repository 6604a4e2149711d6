import { mkdirSync } from 'node:fs';
import {
  type JvmService,
  probeJvmProcess,
  startJvmService,
  stopJvmService,
  twoPorts,
} from '@shopfloor/jvm-process';
import { findJava } from './java-home.ts';
import { launchRegistry } from './launch.ts';
import { apicurioVersion, ensureApicurio, resolveDataDir } from './paths.ts';
import { type RegistryState, registryFiles, registryMarker } from './registry-state.ts';

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
  /** How long to wait for the registry to answer. Default 120 s (it is up in 8-9 s here when idle). */
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

/** The registry as a JVM service: its files, its marker (a system property), its probe. */
const registry: JvmService<RegistryState> = {
  what: 'schema registry',
  files: registryFiles,
  marker: registryMarker,
  answers: (state, timeoutMs) => registryAnswers(urlOf(state), timeoutMs),
  stopGraceMs: 15_000,
};

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

  const { state, reused } = await startJvmService(registry, dataDir, {
    startTimeoutMs,
    log,
    address: urlOf,
    context: `data dir ${dataDir}, brokers ${options.brokers.join(',')}`,
    async launch() {
      const java = findJava(options.env ? { env: options.env } : {});
      const apicurioHome = await ensureApicurio(log);
      const [port, managementPort] = await twoPorts(options.port, options.managementPort);
      const journalTopic = options.journalTopic ?? 'kafkasql-journal';
      const pid = launchRegistry({
        java: java.java,
        apicurioHome,
        port,
        managementPort,
        brokers: options.brokers,
        journalTopic,
        heap: options.heap ?? '-Xms64m -Xmx512m',
        logPath: registryFiles(dataDir).log,
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
      log(`started Apicurio Registry ${state.version} pid ${pid} on ${urlOf(state)} (Java ${java.major})`);
      return state;
    },
  });
  return handle(dataDir, state, reused);
}

/** Stops the data dir's registry (SIGTERM, SIGKILL after 15 s). Returns whether one was running. */
export function stopLocalRegistry(dataDir: string): Promise<boolean> {
  return stopJvmService(registry, resolveDataDir(dataDir));
}

/** Read-only: reports the registry without changing anything. */
export async function localRegistryStatus(dataDir: string): Promise<LocalRegistryStatus> {
  const probe = probeJvmProcess(registry, resolveDataDir(dataDir));
  if (probe.state === 'stopped') return probe;
  const { pid, saved, logFile } = probe;
  if (!saved) return { state: 'unresponsive', pid, logFile };
  const url = urlOf(saved);
  return (await registryAnswers(url))
    ? { state: 'running', pid, url, logFile }
    : { state: 'unresponsive', pid, url, logFile };
}
