/**
 * Stops a service once on SIGINT or SIGTERM: runs `stop`, then exits 0; exits 1 if stopping takes
 * longer than `timeoutMs` (a stuck dependency must not keep a stopped service alive). Returns the
 * same shutdown for the process's own reasons (a member that stopped for good): it exits with
 * `exitCode` whatever `stop` did, and only the first shutdown, by signal or not, runs.
 */
export function stopOnSignals(
  log: { info(obj: object, msg: string): void },
  stop: () => Promise<unknown>,
  timeoutMs: number,
): (exitCode: number) => void {
  let stopping = false;
  const shutdown = (exitCode: number | undefined) => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), timeoutMs).unref();
    void stop().then(
      () => process.exit(exitCode ?? 0),
      () => process.exit(1),
    );
  };
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (!stopping) log.info({ signal }, 'stopping');
      shutdown(undefined);
    });
  }
  return shutdown;
}
