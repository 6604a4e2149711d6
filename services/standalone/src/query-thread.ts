import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { paramLockBuffer } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { HttpRequestObservation } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type {
  MainToQueryThreadMessage,
  QueryRoute,
  QueryThreadData,
  QueryThreadMessage,
} from './query-thread-protocol.ts';

export interface QueryThread {
  /** Where it serves (loopback, an ephemeral port). */
  readonly url: string;
  /** The routes it serves, for the gateway process to send there. */
  readonly routes: readonly QueryRoute[];
  /** Settles if the thread ends while the process runs: the process's engine goes with it, so stop. */
  readonly stopped: Promise<Error>;
  /** Closes its server, key follower and sessions. The thread itself stays until the process exits. */
  close(): Promise<void>;
}

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 10_000;

/** The worker's entry is TypeScript run through tsx, which a worker thread does not inherit: import it through tsx's API. */
function workerSource(entry: URL): string {
  const tsx = path.join(path.dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist');
  const api = pathToFileURL(path.join(tsx, 'esm', 'api', 'index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(entry.href)}, ${JSON.stringify(entry.href)}))`;
}

/**
 * Starts the query thread (query-thread-main.ts): the query service's routes served from a worker
 * thread of this process, on the embedded engine this process runs (which must be open, migrations
 * done). In the split topology the gateway process sends those routes there, so a dashboard's reads
 * and the pipeline's work no longer share one JS thread (bench/README, Levers 36).
 *
 * The thread is never terminated: a worker that loaded chdb shuts the process's engine down when it
 * exits, even with its sessions closed, and every later statement of the other threads hangs (chdb
 * 3.4). `close` closes what it serves and reads with, and the thread ends with the process.
 */
export async function startQueryThread(
  config: ShopfloorConfig,
  log: Logger,
  /** Each request it answered (the process's `shopfloor_http_request_duration_seconds`). */
  onHttpRequest: (request: HttpRequestObservation) => void,
): Promise<QueryThread> {
  const worker = new Worker(workerSource(new URL('./query-thread-main.ts', import.meta.url)), {
    eval: true,
    workerData: { config, paramLock: paramLockBuffer() } satisfies QueryThreadData,
    // Its heap bounded as the processes' are (half of theirs: it holds a page of answers at most).
    ...(config.SHOPFLOOR_MAX_OLD_SPACE_MB > 0
      ? { resourceLimits: { maxOldGenerationSizeMb: Math.floor(config.SHOPFLOOR_MAX_OLD_SPACE_MB / 2) } }
      : {}),
  });
  worker.on('message', (m: QueryThreadMessage) => {
    if (m.type === 'http') onHttpRequest(m);
  });
  let closing = false;
  const ended = new Promise<Error>((resolve) => {
    worker.once('error', (err) => resolve(err));
    worker.once('exit', (code) => resolve(new Error(`the query thread exited (code ${code})`)));
  });
  const ready = await new Promise<Extract<QueryThreadMessage, { type: 'ready' }>>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`the query thread did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const onMessage = (m: QueryThreadMessage) => {
      if (m.type === 'ready') resolve(m);
      else if (m.type === 'failed') reject(new Error(`the query thread failed to start: ${m.message}`));
      else return;
      clearTimeout(timer);
      worker.off('message', onMessage);
    };
    worker.on('message', onMessage);
    void ended.then((err) => {
      clearTimeout(timer);
      reject(err);
    });
  }).catch((err: Error) => {
    // Unref only: terminating it would stop the engine (see above); it ends with the process.
    worker.unref();
    throw err;
  });
  // Ended while closing is the process's own stop; else a member stopped for good.
  const stopped = ended.then((err) => {
    if (closing) return new Promise<Error>(() => {});
    log.error({ err: err.message }, 'the query thread ended');
    return err;
  });
  return {
    url: `http://127.0.0.1:${ready.port}`,
    routes: ready.routes,
    stopped,
    async close() {
      if (closing) return;
      closing = true;
      const done = new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, STOP_TIMEOUT_MS);
        worker.on('message', (m: QueryThreadMessage) => {
          if (m.type !== 'stopped') return;
          clearTimeout(timer);
          resolve();
        });
        void ended.then(() => {
          clearTimeout(timer);
          resolve();
        });
      });
      worker.postMessage({ type: 'stop' } satisfies MainToQueryThreadMessage);
      await done;
      worker.unref();
    },
  };
}
