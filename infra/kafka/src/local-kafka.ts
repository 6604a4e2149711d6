import { mkdirSync, writeFileSync } from 'node:fs';
import { describeCluster } from '@shopfloor/kafka';
import {
  type BrokerState,
  brokerFiles,
  clearState,
  loadOrCreateClusterId,
  logTail,
  readPid,
  readState,
  writeState,
} from './broker-state.ts';
import { freePort } from './free-port.ts';
import { formatStorage, launchBroker } from './launch.ts';
import { ensureKafkaJars, kafkaVersion, resolveDataDir } from './paths.ts';
import { isAlive, isOurProcess, sleep, terminate } from './processes.ts';
import {
  DEFAULT_HEAP,
  jvmArgs,
  log4jProperties,
  renderProperties,
  serverProperties,
} from './server-properties.ts';

export interface StartLocalKafkaOptions {
  /** Holds config, KRaft storage, broker.pid, broker.log. Relative paths resolve from the repo root. */
  dataDir: string;
  /** 0 or undefined: a free port. */
  port?: number;
  controllerPort?: number;
  /** JVM heap flags. Default '-Xms256m -Xmx1g'. */
  heap?: string | undefined;
  /** Progress lines from the runner (not the broker's own log, which goes to broker.log). */
  log?: (line: string) => void;
  /** Stop the broker when this pid exits (e.g. the test runner's). */
  watchParentPid?: number | undefined;
  /** How long to wait for the broker to answer metadata requests. Default 60 s. */
  startTimeoutMs?: number;
}

export interface LocalKafka {
  brokers: string[];
  pid: number;
  clusterId: string;
  dataDir: string;
  /** True when a broker already running from this data dir was reused. */
  reused: boolean;
  /** Stops the broker (also when it was reused). */
  stop(): Promise<void>;
}

export type LocalKafkaStatus =
  | { state: 'running'; pid: number; brokers: string[]; clusterId: string; logFile: string }
  | { state: 'unresponsive'; pid: number; brokers: string[]; logFile: string }
  | { state: 'stopped'; stalePid?: number; logFile: string };

const STOP_GRACE_MS = 20_000;

/** The string a process's command line must contain to count as this data dir's broker. */
const marker = (dataDir: string) => brokerFiles(dataDir).serverProperties;
const brokerList = (state: Pick<BrokerState, 'port'>) => [`127.0.0.1:${state.port}`];

/**
 * Polls until the broker answers a metadata request with our cluster id. Fails early if the process
 * dies. Returns false on timeout.
 */
async function waitUntilReady(state: BrokerState, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive(state.pid)) return false;
    const remaining = deadline - Date.now();
    if (remaining <= 0) return false;
    try {
      const info = await describeCluster(brokerList(state), { timeoutMs: Math.min(2_000, remaining) });
      if (info.clusterId === state.clusterId) return true;
    } catch {
      // not up yet
    }
    await sleep(200);
  }
}

/** A broker from an earlier start that still answers is reused; anything else stale is cleared. */
async function adoptExisting(
  dataDir: string,
  startTimeoutMs: number,
  log: (line: string) => void,
): Promise<BrokerState | undefined> {
  const pid = readPid(dataDir);
  if (pid === undefined) return undefined;
  if (!isOurProcess(pid, marker(dataDir))) {
    log(`removing stale pid file (process ${pid} is gone)`);
    clearState(dataDir);
    return undefined;
  }
  const state = readState(dataDir);
  if (state?.pid === pid) {
    // A broker that started moments ago (by another process) gets the rest of its start budget.
    const age = Date.now() - Date.parse(state.startedAt);
    if (await waitUntilReady(state, Math.max(3_000, startTimeoutMs - age))) return state;
  }
  log(`broker process ${pid} does not answer; stopping it`);
  await terminate(pid, STOP_GRACE_MS);
  clearState(dataDir);
  return undefined;
}

function handle(dataDir: string, state: BrokerState, reused: boolean): LocalKafka {
  return {
    brokers: brokerList(state),
    pid: state.pid,
    clusterId: state.clusterId,
    dataDir,
    reused,
    stop: async () => {
      await stopLocalKafka(dataDir);
    },
  };
}

export async function startLocalKafka(options: StartLocalKafkaOptions): Promise<LocalKafka> {
  const dataDir = resolveDataDir(options.dataDir);
  const log = options.log ?? (() => {});
  const startTimeoutMs = options.startTimeoutMs ?? 60_000;
  const files = brokerFiles(dataDir);
  mkdirSync(dataDir, { recursive: true });

  const existing = await adoptExisting(dataDir, startTimeoutMs, log);
  if (existing) {
    log(`reusing broker pid ${existing.pid} at ${brokerList(existing).join(',')}`);
    return handle(dataDir, existing, true);
  }

  const startedAt = Date.now();
  const libsDir = await ensureKafkaJars(log);
  const port = options.port || (await freePort());
  let controllerPort = options.controllerPort || (await freePort());
  while (controllerPort === port) controllerPort = await freePort();
  const clusterId = loadOrCreateClusterId(dataDir);

  writeFileSync(
    files.serverProperties,
    renderProperties(serverProperties({ port, controllerPort, logDir: files.logDir })),
  );
  writeFileSync(files.log4j, log4jProperties());
  if (
    await formatStorage({
      libsDir,
      serverPropertiesPath: files.serverProperties,
      log4jConfigPath: files.log4j,
      clusterId,
      logDir: files.logDir,
    })
  ) {
    log(`formatted KRaft storage in ${files.logDir} (cluster id ${clusterId})`);
  }

  const pid = launchBroker({
    libsDir,
    serverPropertiesPath: files.serverProperties,
    logPath: files.log,
    jvmArgs: jvmArgs({ heap: options.heap ?? DEFAULT_HEAP, log4jConfigPath: files.log4j }),
    cwd: dataDir,
    watchParentPid: options.watchParentPid,
  });
  const state: BrokerState = {
    pid,
    port,
    controllerPort,
    clusterId,
    startedAt: new Date().toISOString(),
    version: kafkaVersion(),
  };
  writeState(dataDir, state);
  log(`started Kafka ${state.version} pid ${pid} on 127.0.0.1:${port} (controller ${controllerPort})`);

  if (!(await waitUntilReady(state, startTimeoutMs))) {
    const died = !isAlive(pid);
    await terminate(pid, 5_000);
    clearState(dataDir);
    throw new Error(
      `Kafka broker ${died ? 'exited' : `did not answer within ${startTimeoutMs} ms`} ` +
        `(data dir ${dataDir}). Tail of ${files.log}:\n${logTail(dataDir)}`,
    );
  }
  log(`broker ready in ${Date.now() - startedAt} ms`);
  return handle(dataDir, state, false);
}

/** Stops the data dir's broker (SIGTERM, SIGKILL after 20 s). Returns whether one was running. */
export async function stopLocalKafka(dataDir: string): Promise<boolean> {
  const dir = resolveDataDir(dataDir);
  const pid = readPid(dir);
  if (pid === undefined) return false;
  const running = isOurProcess(pid, marker(dir));
  if (running) await terminate(pid, STOP_GRACE_MS);
  clearState(dir);
  return running;
}

/** Read-only: reports the broker without changing anything. */
export async function localKafkaStatus(dataDir: string): Promise<LocalKafkaStatus> {
  const dir = resolveDataDir(dataDir);
  const logFile = brokerFiles(dir).log;
  const pid = readPid(dir);
  if (pid === undefined) return { state: 'stopped', logFile };
  if (!isOurProcess(pid, marker(dir))) return { state: 'stopped', stalePid: pid, logFile };
  const state = readState(dir);
  if (!state) return { state: 'unresponsive', pid, brokers: [], logFile };
  const brokers = brokerList(state);
  try {
    const info = await describeCluster(brokers, { timeoutMs: 2_000 });
    if (info.clusterId === state.clusterId)
      return { state: 'running', pid, brokers, clusterId: info.clusterId, logFile };
  } catch {
    // fall through
  }
  return { state: 'unresponsive', pid, brokers, logFile };
}
