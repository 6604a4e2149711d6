// One pipeline process under fault injection: started (and restarted) until it is ready, SIGKILLed
// on demand, and watched: an exit nobody asked for is recorded as a finding, then the process is
// restarted as a process supervisor (systemd, Kubernetes) would. Each generation's output is
// written to <logsDir>/<role>.<generation>.log when it exits.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type ServiceName, type ServiceProcess, spawnService } from '@shopfloor/test-support/service-process';

export type ExitRecord = {
  generation: number;
  at: string;
  code: number | null;
  signal: string | null;
  tail: string;
};

export interface SupervisedOptions {
  role: string;
  service: ServiceName;
  env: Record<string, string>;
  /** Resolves once the process serves; rejects if it exits first or takes too long. */
  ready: (p: ServiceProcess) => Promise<void>;
  logsDir: string;
  log: (line: string) => void;
  echo?: boolean;
  /** How long one start may take before it counts as failed. Default 120 s. */
  startTimeoutMs?: number;
  /** How long start() keeps retrying failed starts. Default 300 s. */
  startBudgetMs?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise,
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: not ready within ${ms} ms`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

export class Supervised {
  kills = 0;
  starts = 0;
  readonly startFailures: ExitRecord[] = [];
  readonly unexpectedExits: ExitRecord[] = [];
  /** Milliseconds from each SIGKILL to the restarted process being ready. */
  readonly recoveryMs: number[] = [];
  private proc: ServiceProcess | undefined;
  private generation = 0;
  private busy: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: SupervisedOptions) {}

  get role(): string {
    return this.o.role;
  }

  get current(): ServiceProcess | undefined {
    return this.proc;
  }

  /** Resolves when no start, kill or restart of this process is in progress. */
  idle(): Promise<void> {
    return this.busy;
  }

  private serialize(work: () => Promise<void>): Promise<void> {
    const run = this.busy.then(work);
    this.busy = run.catch(() => {});
    return run;
  }

  private spawnOnce(): ServiceProcess {
    const generation = ++this.generation;
    this.starts++;
    const label = `${this.o.role}#${generation}`;
    const p = spawnService(this.o.service, this.o.env, { label, ...(this.o.echo ? { echo: true } : {}) });
    void p.exited.then((exit) => {
      const file = path.join(this.o.logsDir, `${this.o.role}.${generation}.log`);
      try {
        writeFileSync(file, `${p.logs.map((l) => l.line).join('\n')}\n-- exit ${JSON.stringify(exit)}\n`);
      } catch {}
      if (this.proc !== p || this.stopped) return;
      // Nobody asked for this exit.
      const record = {
        generation,
        at: new Date().toISOString(),
        code: exit.code,
        signal: exit.signal,
        tail: p.tail(15),
      };
      this.unexpectedExits.push(record);
      this.o.log(
        `UNEXPECTED EXIT of ${label} (${exit.code ?? exit.signal}); restarting. Last lines:\n${record.tail}`,
      );
      this.proc = undefined;
      void this.serialize(() => this.startUntilReady()).catch((err) =>
        this.o.log(`${this.o.role}: could not be restarted: ${(err as Error).message}`),
      );
    });
    return p;
  }

  /** Spawns until one generation is ready; a start that fails (e.g. broker down) is retried. */
  private async startUntilReady(): Promise<void> {
    const deadline = Date.now() + (this.o.startBudgetMs ?? 300_000);
    for (let attempt = 1; ; attempt++) {
      if (this.stopped) return;
      const p = this.spawnOnce();
      try {
        await withTimeout(this.o.ready(p), this.o.startTimeoutMs ?? 120_000, p.label);
        this.proc = p;
        if (!p.running) throw new Error(`${p.label} exited right after it was ready`);
        return;
      } catch (err) {
        const exit = p.running ? await p.kill() : await p.exited;
        this.startFailures.push({
          generation: this.generation,
          at: new Date().toISOString(),
          code: exit.code,
          signal: exit.signal,
          tail: p.tail(10),
        });
        const why = failureLine(p);
        this.o.log(
          `${p.label} failed to start (attempt ${attempt}): ${(err as Error).message.split('\n')[0]}${why ? ` ${why}` : ''}`,
        );
        if (Date.now() > deadline)
          throw new Error(`${this.o.role} could not be started: ${(err as Error).message}`);
        await sleep(Math.min(5_000, 500 * attempt));
      }
    }
  }

  start(): Promise<void> {
    return this.serialize(() => this.startUntilReady());
  }

  /** SIGKILL (a crash at whatever instant the process is at), then restart after `restartDelayMs`. */
  killAndRestart(restartDelayMs: number): Promise<void> {
    return this.serialize(async () => {
      const p = this.proc;
      if (p?.running) {
        this.proc = undefined;
        const t0 = Date.now();
        await p.kill();
        this.kills++;
        this.o.log(`SIGKILL ${p.label} (pid ${p.pid}); restart in ${restartDelayMs} ms`);
        await sleep(restartDelayMs);
        await this.startUntilReady();
        this.recoveryMs.push(Date.now() - t0);
        this.o.log(`${this.o.role} ready again after ${Date.now() - t0} ms`);
      }
    });
  }

  /** Graceful stop (SIGTERM, SIGKILL past the timeout); no restart afterwards. */
  async stop(): Promise<void> {
    this.stopped = true;
    await this.busy;
    const p = this.proc;
    if (p) await p.stop('SIGTERM', 30_000);
  }
}

/** What a process that failed to start said last about it: its last error or fatal log line, else its last stderr line. */
function failureLine(p: ServiceProcess): string | undefined {
  const lines = [...p.logs].reverse();
  const logged = lines.find((l) => Number(l.json?.level ?? 0) >= 50);
  return (logged ?? lines.find((l) => l.stream === 'stderr'))?.msg.slice(0, 300);
}
