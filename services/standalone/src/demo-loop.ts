import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/** Runs `tick` again `intervalMs` after each one ends, until stopped; a failed tick is logged, not fatal. */
export function repeatDemoTick(
  tick: () => Promise<void>,
  options: { intervalMs: number; log: Logger; failure: string },
): { stop(): void } {
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      await tick().catch((err) => options.log.warn({ err: (err as Error).message }, options.failure));
      await sleep(options.intervalMs);
    }
  };
  void loop();
  return {
    stop() {
      stopped = true;
    },
  };
}
