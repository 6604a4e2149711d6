// The system under fault injection, every part its own OS process: a local Kafka broker of its own
// (fixed ports, so it comes back where the clients expect it), the schema registry on it (Apicurio,
// its schemas on that broker: every topic value is Avro), one gateway, two dedupe consumers and the
// projector (embedded ClickHouse + query API), and the sensor and metric-events services (each owning
// an embedded ClickHouse of its own: chdb binds one data dir per process), on topics and groups of
// their own.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import {
  CCOMPAT_PATH,
  type LocalRegistry,
  startLocalRegistry,
  stopLocalRegistry,
} from '@shopfloor/local-schema-registry';
import { freePort, type ServiceName, type ServiceProcess } from '@shopfloor/test-support/service-process';
import { systemEnvUnder } from '@shopfloor/test-support/system-env';
import { ChaosBroker } from './chaos-broker.ts';
import { Supervised } from './supervisor.ts';
import { waitFor200 } from './wait-ready.ts';

export const ROLES = [
  'gateway',
  'consumer-1',
  'consumer-2',
  'projector',
  'sensors',
  'metric-events',
] as const;
export type Role = (typeof ROLES)[number];
/** The machine events pipeline; the sensor and metric-events services run only when their stream is driven. */
export const EVENT_ROLES: readonly Role[] = ['gateway', 'consumer-1', 'consumer-2', 'projector'];

export interface ChaosClusterOptions {
  workDir: string;
  partitions: number;
  log: (line: string) => void;
  echo?: boolean;
  /** The processes to run (default: all of ROLES). */
  roles?: readonly Role[];
  /** Extra environment for every service (e.g. SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS). */
  serviceEnv?: Record<string, string>;
}

const CONSUMER_STARTED = 'dedupe consumer started';

type Ports = {
  gateway: number;
  projector: number;
  registry: number;
  sensors: number;
  metricEvents: number;
};

export class ChaosCluster {
  readonly prefix = `chaos-${randomBytes(4).toString('hex')}.`;
  readonly dataDir: string;
  readonly logsDir: string;
  readonly gatewayUrl: string;
  readonly projectorUrl: string;
  readonly sensorsUrl: string;
  readonly metricEventsUrl: string;
  /** The data dirs of the two streams' own processes (their ClickHouse is `<dir>/clickhouse`). */
  readonly sensorsDataDir: string;
  readonly metricEventsDataDir: string;
  readonly services: Record<Role, Supervised>;
  /** The processes this cluster runs (the others in `services` are never started). */
  readonly roles: readonly Role[];

  /** The registry's data dir (pid, log); its schemas live on the broker. */
  readonly registryDir: string;
  readonly registryUrl: string;
  private registry: LocalRegistry | undefined;

  private constructor(
    readonly broker: ChaosBroker,
    private readonly ports: Ports,
    o: ChaosClusterOptions,
  ) {
    this.roles = o.roles ?? ROLES;
    this.dataDir = path.join(o.workDir, 'data');
    this.logsDir = path.join(o.workDir, 'logs');
    mkdirSync(this.dataDir, { recursive: true });
    mkdirSync(this.logsDir, { recursive: true });
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    this.projectorUrl = `http://127.0.0.1:${ports.projector}`;
    this.sensorsUrl = `http://127.0.0.1:${ports.sensors}`;
    this.metricEventsUrl = `http://127.0.0.1:${ports.metricEvents}`;
    this.sensorsDataDir = path.join(o.workDir, 'sensors-data');
    this.metricEventsDataDir = path.join(o.workDir, 'metric-events-data');
    mkdirSync(this.sensorsDataDir, { recursive: true });
    mkdirSync(this.metricEventsDataDir, { recursive: true });
    this.registryDir = path.join(o.workDir, 'schema-registry');
    this.registryUrl = `http://127.0.0.1:${ports.registry}${CCOMPAT_PATH}`;
    const common = {
      ...systemEnvUnder(this.prefix, { brokers: broker.brokers, schemaRegistryUrl: this.registryUrl }),
      SHOPFLOOR_SENSOR_PARTITIONS: String(o.partitions),
      SHOPFLOOR_PARTITIONS: String(o.partitions),
      SHOPFLOOR_DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...o.serviceEnv,
    };
    const supervised = (
      role: Role,
      service: ServiceName,
      env: Record<string, string>,
      ready: (p: ServiceProcess) => Promise<void>,
    ) =>
      new Supervised({
        role,
        service,
        env: { ...common, ...env },
        ready,
        logsDir: this.logsDir,
        log: o.log,
        ...(o.echo ? { echo: true } : {}),
      });
    const consumerReady = (p: ServiceProcess) =>
      p.waitForLog((l) => l.msg === CONSUMER_STARTED, 120_000).then(() => {});
    this.services = {
      gateway: supervised('gateway', 'gateway', { PORT: String(ports.gateway) }, (p) =>
        p.waitForHttp(`${this.gatewayUrl}/health`, 120_000),
      ),
      'consumer-1': supervised(
        'consumer-1',
        'consumer',
        { SHOPFLOOR_INSTANCE_ID: 'c1', PORT: '0' },
        consumerReady,
      ),
      'consumer-2': supervised(
        'consumer-2',
        'consumer',
        { SHOPFLOOR_INSTANCE_ID: 'c2', PORT: '0' },
        consumerReady,
      ),
      projector: supervised('projector', 'projector', { PORT: String(ports.projector) }, (p) =>
        p.waitForHttp(`${this.projectorUrl}/dead-letters?limit=1`, 120_000),
      ),
      // /ready: the processor member joined its group and restored every partition it holds.
      sensors: supervised(
        'sensors',
        'sensors',
        { PORT: String(ports.sensors), SHOPFLOOR_DATA_DIR: this.sensorsDataDir, SHOPFLOOR_INSTANCE_ID: 's1' },
        (p) => waitFor200(p, `${this.sensorsUrl}/ready`, 120_000),
      ),
      'metric-events': supervised(
        'metric-events',
        'metric-events',
        {
          PORT: String(ports.metricEvents),
          SHOPFLOOR_DATA_DIR: this.metricEventsDataDir,
          SHOPFLOOR_INSTANCE_ID: 'm1',
          SHOPFLOOR_ALLOW_SIMULATED_FAILURES: 'true',
        },
        (p) => waitFor200(p, `${this.metricEventsUrl}/events/processed?limit=1`, 120_000),
      ),
    };
  }

  /** Starts the broker, then the schema registry on it, then the projector (it creates the topics), then the others. */
  static async start(o: ChaosClusterOptions): Promise<ChaosCluster> {
    const [kafkaPort, controllerPort, gateway, projector, registry, sensors, metricEvents] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const broker = new ChaosBroker(path.join(o.workDir, 'kafka'), kafkaPort, controllerPort, o.log);
    const ports = { gateway, projector, registry, sensors, metricEvents };
    const cluster = new ChaosCluster(broker, ports, o);
    try {
      await broker.start();
      await cluster.startRegistry(o.log);
      // The others once the projector is ready, so the starts do not all load the broker at once
      // (concurrent topic creation itself is safe: ensureTopics waits for every partition's leader).
      await cluster.services.projector.start();
      await Promise.all(
        cluster.roles.filter((r) => r !== 'projector').map((r) => cluster.services[r].start()),
      );
    } catch (err) {
      await cluster.stop().catch(() => {});
      throw err;
    }
    return cluster;
  }

  private async startRegistry(log: (line: string) => void): Promise<void> {
    const t0 = Date.now();
    this.registry = await startLocalRegistry({
      dataDir: this.registryDir,
      brokers: this.broker.brokers,
      port: this.ports.registry,
      watchParentPid: process.pid,
      startTimeoutMs: 180_000,
    });
    log(`schema registry up on ${this.registry.url} (pid ${this.registry.pid}) in ${Date.now() - t0} ms`);
  }

  /** Stops every service gracefully, then the registry, then the broker. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled(this.roles.map((r) => this.services[r].stop()));
    // Also when start() failed half-way through the registry's start: stop by data dir.
    const registry = await (this.registry ? this.registry.stop() : stopLocalRegistry(this.registryDir)).then(
      () => undefined,
      (err: Error) => err,
    );
    await this.broker.stop();
    const failed = [
      ...results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((f) => f.reason),
      ...(registry ? [registry] : []),
    ];
    if (failed.length > 0) throw new AggregateError(failed, 'services did not stop');
  }
}
