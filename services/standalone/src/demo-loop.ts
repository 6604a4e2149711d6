import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';

/**
 * Runs `tick` (with its number, from 0) again `intervalMs` after each one ends, until stopped; a
 * failed tick is logged, not fatal.
 */
export function repeatDemoTick(
  tick: (n: number) => Promise<void>,
  options: { intervalMs: number; log: Logger; failure: string },
): { stop(): void } {
  let stopped = false;
  const loop = async () => {
    for (let n = 0; !stopped; n++) {
      await tick(n).catch((err) => options.log.warn({ err: (err as Error).message }, options.failure));
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

/** A demo producer's POST of a JSON body, and the JSON it got back. */
export async function postDemoJson<T = Record<string, unknown>>(url: string, body: unknown): Promise<T> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await res.json()) as T;
}
