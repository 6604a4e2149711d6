// Readiness of a supervised process by HTTP: a route that answers 200 only once the process serves
// (the sensor service's /ready holds until its processor restored every partition it holds).
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceProcess } from '@shopfloor/test-support/service-process';

/** Polls `url` until it answers 200; rejects when the process exits first or past `timeoutMs`. */
export /** Polls `url` until it answers 200; rejects when the process exits first or past `timeoutMs`. */
async function waitFor200(p: ServiceProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!p.running) throw new Error(`${p.label} exited before ${url} answered 200:\n${p.tail(10)}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      if (res.status === 200) return;
    } catch {}
    await sleep(250);
  }
  throw new Error(`${p.label}: ${url} did not answer 200 within ${timeoutMs} ms`);
}
