/**
 * Stops a service once on SIGINT or SIGTERM: runs `stop`, then exits 0; exits 1 if stopping takes
 * longer than `timeoutMs` (a stuck dependency must not keep a stopped service alive).
 */
export function stopOnSignals(
  log: { info(obj: object, msg: string): void },
  stop: () => Promise<unknown>,
  timeoutMs: number,
): void {
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      log.info({ signal }, 'stopping');
      setTimeout(() => process.exit(1), timeoutMs).unref();
      void stop().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  }
}
