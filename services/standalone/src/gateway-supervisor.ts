import { type ChildProcess, fork } from 'node:child_process';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { Logger } from 'pino';
import {
  childExecArgv,
  type GatewayProcessMessage,
  type ParentToGatewayMessage,
} from './gateway-process-protocol.ts';
import type { QueryRoute } from './query-thread-protocol.ts';

export interface GatewayProcess {
  /** The public URL (HOST:PORT) the gateway process serves. */
  readonly url: string;
  /** The pid of the gateway process running now (it changes when it is restarted). */
  pid(): number;
  /** Hands the projector's outcomes to the gateway's waiting requests. */
  deliver(records: OutcomeRecord[]): void;
  /** Stops it (SIGTERM, SIGKILL after `STOP_GRACE_MS`) and restarts it no more. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;
/** Restarts allowed within RESTART_WINDOW_MS before the supervisor gives up. */
const MAX_RESTARTS = 5;
const RESTART_WINDOW_MS = 60_000;

/**
 * Forks the split topology's gateway process (gateway-process.ts) and supervises it. The gateway is
 * stateless (its producer is idempotent; a request it held unanswered is retried by the client), so
 * a gateway that dies is reported and restarted, on the same port, after a second; after
 * MAX_RESTARTS within a minute something is wrong beyond a crash, and `onGiveUp` is called.
 */
export async function startGatewayProcess(options: {
  upstreamUrl: string;
  /** The pipeline process's query thread: the gateway process sends its routes there. */
  queryThread?: { url: string; routes: readonly QueryRoute[] } | undefined;
  env: NodeJS.ProcessEnv;
  /** Its node heap flags (`v8HeapFlags` of the configuration). */
  heapFlags: readonly string[];
  log: Logger;
  onGiveUp(reason: string): void;
  /** The gateway process's count of requests waiting for an outcome, each time it changes (0 when it dies). */
  onDemand?: ((waiting: number) => void) | undefined;
}): Promise<GatewayProcess> {
  const { log } = options;
  let child: ChildProcess;
  let stopping = false;
  const restarts: number[] = [];

  const launch = (env: NodeJS.ProcessEnv) =>
    new Promise<string>((resolve, reject) => {
      const args = [options.upstreamUrl];
      if (options.queryThread) args.push(JSON.stringify(options.queryThread));
      child = fork(new URL('./gateway-process.ts', import.meta.url).pathname, args, {
        env,
        execArgv: childExecArgv(options.heapFlags),
        serialization: 'advanced',
        stdio: 'inherit',
      });
      const started = child;
      let up = false;
      const timer = setTimeout(
        () => reject(new Error('the gateway process did not start in time')),
        READY_TIMEOUT_MS,
      );
      started.on('message', (m: GatewayProcessMessage) => {
        if (m.type === 'demand') {
          options.onDemand?.(m.waiting);
          return;
        }
        clearTimeout(timer);
        up = true;
        resolve(m.url);
      });
      started.once('exit', (code, signal) => {
        clearTimeout(timer);
        // Its waiting requests went with it.
        if (started === child) options.onDemand?.(0);
        reject(new Error(`the gateway process exited during start-up (code ${code}, signal ${signal})`));
        // Only a gateway that was up is restarted: one that cannot start fails its caller.
        if (!up || stopping || started !== child) return;
        onUnexpectedExit(code, signal);
      });
    });

  const onUnexpectedExit = (code: number | null, signal: NodeJS.Signals | null) => {
    const now = Date.now();
    while (restarts.length > 0 && now - restarts[0]! > RESTART_WINDOW_MS) restarts.shift();
    if (restarts.length >= MAX_RESTARTS) {
      log.error({ code, signal, restarts: restarts.length }, 'the gateway process died again: giving up');
      options.onGiveUp(`the gateway process died ${restarts.length + 1} times within a minute`);
      return;
    }
    restarts.push(now);
    log.error({ code, signal, pid: child.pid }, 'the gateway process died: restarting it in 1 s');
    setTimeout(() => {
      if (stopping) return;
      launch(pinnedEnv).then(
        (u) => log.info({ url: u, pid: child.pid }, 'gateway process restarted'),
        (err) => {
          log.error({ err: (err as Error).message }, 'gateway process restart failed');
          if (!stopping) onUnexpectedExit(null, null);
        },
      );
    }, 1_000);
  };

  const url = await launch(options.env);
  // A restart binds the port the first start got (PORT=0 picks one once).
  const pinnedEnv = { ...options.env, PORT: new URL(url).port };
  return {
    url,
    pid: () => child.pid ?? 0,
    deliver(records) {
      if (child.connected) child.send({ type: 'outcomes', records } satisfies ParentToGatewayMessage);
    },
    async stop() {
      stopping = true;
      const running = child;
      if (running.exitCode !== null || running.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
      running.kill('SIGTERM');
      const kill = setTimeout(() => running.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(kill);
    },
  };
}
