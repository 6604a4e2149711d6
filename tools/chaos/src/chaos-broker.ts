// The broker of a fault-injection run: its own local Kafka broker on fixed ports, so it comes back
// where the clients (and the schema registry, which keeps its schemas on it) expect it.
import { setTimeout as sleep } from 'node:timers/promises';
import { type LocalKafka, startLocalKafka, stopLocalKafka } from '@shopfloor/local-kafka';

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
