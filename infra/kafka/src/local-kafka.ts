import { mkdirSync, writeFileSync } from 'node:fs';
import {
  type JvmService,
  probeJvmProcess,
  startJvmService,
  stopJvmService,
  twoPorts,
} from '@shopfloor/jvm-process';
import { describeCluster } from '@shopfloor/kafka';
import { type BrokerState, brokerFiles, loadOrCreateClusterId } from './broker-state.ts';
import { formatStorage, launchBroker } from './launch.ts';
import { ensureKafkaJars, kafkaVersion, resolveDataDir } from './paths.ts';
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

const brokerList = (state: Pick<BrokerState, 'port'>) => [`127.0.0.1:${state.port}`];

/** The broker as a JVM service: its files, its marker (server.properties), its probe. */
const broker: JvmService<BrokerState> = {
  what: 'Kafka broker',
  files: brokerFiles,
  // A process counts as this data dir's broker when its command line names its server.properties.
  marker: (dataDir) => brokerFiles(dataDir).serverProperties,
  // It answers a metadata request with our cluster id.
  async answers(state, timeoutMs) {
    try {
      return (await describeCluster(brokerList(state), { timeoutMs })).clusterId === state.clusterId;
    } catch {
      return false;
    }
  },
  stopGraceMs: 20_000,
};

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

  const { state, reused } = await startJvmService(broker, dataDir, {
    startTimeoutMs,
    log,
    address: (saved) => brokerList(saved).join(','),
    context: `data dir ${dataDir}`,
    async launch() {
      const libsDir = await ensureKafkaJars(log);
      const [port, controllerPort] = await twoPorts(options.port, options.controllerPort);
      const clusterId = loadOrCreateClusterId(dataDir);
      writeFileSync(
        files.serverProperties,
        renderProperties(serverProperties({ port, controllerPort, logDir: files.logDir })),
      );
      writeFileSync(files.log4j, log4jProperties());
      const formatted = await formatStorage({
        libsDir,
        serverPropertiesPath: files.serverProperties,
        log4jConfigPath: files.log4j,
        clusterId,
        logDir: files.logDir,
      });
      if (formatted) log(`formatted KRaft storage in ${files.logDir} (cluster id ${clusterId})`);
      const pid = launchBroker({
        libsDir,
        serverPropertiesPath: files.serverProperties,
        logPath: files.log,
        jvmArgs: jvmArgs({ heap: options.heap ?? DEFAULT_HEAP, log4jConfigPath: files.log4j }),
        cwd: dataDir,
        watchParentPid: options.watchParentPid,
      });
      const version = kafkaVersion();
      log(`started Kafka ${version} pid ${pid} on 127.0.0.1:${port} (controller ${controllerPort})`);
      return { pid, port, controllerPort, clusterId, startedAt: new Date().toISOString(), version };
    },
  });
  return handle(dataDir, state, reused);
}

/** Stops the data dir's broker (SIGTERM, SIGKILL after 20 s). Returns whether one was running. */
export function stopLocalKafka(dataDir: string): Promise<boolean> {
  return stopJvmService(broker, resolveDataDir(dataDir));
}

/** Read-only: reports the broker without changing anything. */
export async function localKafkaStatus(dataDir: string): Promise<LocalKafkaStatus> {
  const probe = probeJvmProcess(broker, resolveDataDir(dataDir));
  if (probe.state === 'stopped') return probe;
  const { pid, saved, logFile } = probe;
  if (!saved) return { state: 'unresponsive', pid, brokers: [], logFile };
  const brokers = brokerList(saved);
  return (await broker.answers(saved, 2_000))
    ? { state: 'running', pid, brokers, clusterId: saved.clusterId, logFile }
    : { state: 'unresponsive', pid, brokers, logFile };
}
