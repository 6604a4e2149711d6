// The system under fault injection, every part its own OS process: a local Kafka broker of its own
// (fixed ports, so it comes back where the clients expect it), one gateway, two dedupe consumers
// and the projector (embedded ClickHouse + query API), on topics and groups of their own.
import { setTimeout as sleep } from 'node:timers/promises';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { type LocalKafka, startLocalKafka, stopLocalKafka } from '@shopfloor/local-kafka';
import { freePort, type ServiceProcess } from '@shopfloor/test-support/service-process';
import { Supervised } from './supervisor.ts';

export const ROLES = ['gateway', 'consumer-1', 'consumer-2', 'projector'] as const;
export type Role = (typeof ROLES)[number];

export interface ChaosClusterOptions {
  workDir: string;
  partitions: number;
  log: (line: string) => void;
  echo?: boolean;
  /** Extra environment for every service (e.g. SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS). */
  serviceEnv?: Record<string, string>;
}

const CONSUMER_STARTED = 'dedupe consumer started';

/** The broker of the run: stopped and started again on the same data dir and ports. */
export class ChaosBroker {
  restarts = 0;
  /** Resolves while the broker is up; replaced by a pending promise while it is down. */
  private upSignal: Promise<void> = Promise.resolve();
  private kafka: LocalKafka | undefined;

  constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly controllerPort: number,
    private readonly log: (line: string) => void,
  ) {}

  get brokers(): string[] {
    return [`127.0.0.1:${this.port}`];
  }

  /** Resolves once the broker is up (at once when it is). */
  up(): Promise<void> {
    return this.upSignal;
  }

  async start(): Promise<void> {
    const t0 = Date.now();
    this.kafka = await startLocalKafka({
      dataDir: this.dataDir,
      port: this.port,
      controllerPort: this.controllerPort,
      watchParentPid: process.pid,
      startTimeoutMs: 120_000,
    });
    this.log(`broker up on ${this.brokers[0]} (pid ${this.kafka.pid}) in ${Date.now() - t0} ms`);
  }

  /** Stops the broker (SIGTERM, as an operator would), keeps it down `downMs`, starts it again. */
  async restart(downMs: number): Promise<void> {
    let markUp!: () => void;
    this.upSignal = new Promise((resolve) => {
      markUp = resolve;
    });
    try {
      const t0 = Date.now();
      await stopLocalKafka(this.dataDir);
      this.log(`BROKER STOPPED (${Date.now() - t0} ms to stop); down for ${downMs} ms`);
      await sleep(downMs);
      await this.start();
      this.restarts++;
    } finally {
      markUp();
    }
  }

  async stop(): Promise<void> {
    await stopLocalKafka(this.dataDir);
  }
}

export class ChaosCluster {
  readonly prefix = `chaos-${randomBytes(4).toString('hex')}.`;
  readonly dataDir: string;
  readonly logsDir: string;
  readonly gatewayUrl: string;
  readonly projectorUrl: string;
  readonly services: Record<Role, Supervised>;

  private constructor(
    readonly broker: ChaosBroker,
    ports: { gateway: number; projector: number },
    o: ChaosClusterOptions,
  ) {
    this.dataDir = path.join(o.workDir, 'data');
    this.logsDir = path.join(o.workDir, 'logs');
    mkdirSync(this.dataDir, { recursive: true });
    mkdirSync(this.logsDir, { recursive: true });
    this.gatewayUrl = `http://127.0.0.1:${ports.gateway}`;
    this.projectorUrl = `http://127.0.0.1:${ports.projector}`;
    const common = {
      KAFKA_BROKERS: broker.brokers.join(','),
      SHOPFLOOR_TOPIC_PREFIX: this.prefix,
      SHOPFLOOR_DEDUPE_GROUP: `${this.prefix}dedupe`,
      SHOPFLOOR_PROJECTOR_GROUP: `${this.prefix}projector`,
      SHOPFLOOR_PARTITIONS: String(o.partitions),
      SHOPFLOOR_DATA_DIR: this.dataDir,
      LOG_LEVEL: 'info',
      HOST: '127.0.0.1',
      ...o.serviceEnv,
    };
    const supervised = (
      role: Role,
      service: 'gateway' | 'consumer' | 'projector',
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
    };
  }

  /** Starts the broker, then the projector (it creates the topics), then the others. */
  static async start(o: ChaosClusterOptions): Promise<ChaosCluster> {
    const [kafkaPort, controllerPort, gateway, projector] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    const broker = new ChaosBroker(path.join(o.workDir, 'kafka'), kafkaPort, controllerPort, o.log);
    const cluster = new ChaosCluster(broker, { gateway, projector }, o);
    try {
      await broker.start();
      await cluster.services.projector.start();
      await Promise.all([
        cluster.services.gateway.start(),
        cluster.services['consumer-1'].start(),
        cluster.services['consumer-2'].start(),
      ]);
    } catch (err) {
      await cluster.stop().catch(() => {});
      throw err;
    }
    return cluster;
  }

  /** Stops every service gracefully, then the broker. */
  async stop(): Promise<void> {
    const results = await Promise.allSettled(ROLES.map((r) => this.services[r].stop()));
    await this.broker.stop();
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0)
      throw new AggregateError(
        failed.map((f) => f.reason),
        'services did not stop',
      );
  }
}
