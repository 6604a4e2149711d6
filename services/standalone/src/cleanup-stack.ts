import type { Logger } from 'pino';

/** What a start-up step started, stopped in reverse order (also when a later step fails). */
export interface CleanupStack {
  push(cleanup: () => Promise<unknown>): void;
  /** Runs every cleanup once, newest first; a failing one is logged and the rest still run. */
  stop(): Promise<void>;
}

export function cleanupStack(log: Logger): CleanupStack {
  const cleanups: (() => Promise<unknown>)[] = [];
  return {
    push: (cleanup) => {
      cleanups.push(cleanup);
    },
    async stop() {
      for (const cleanup of cleanups.splice(0).reverse()) {
        await cleanup().catch((err) => log.warn({ err: (err as Error).message }, 'error while stopping'));
      }
    },
  };
}
