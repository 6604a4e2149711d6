import { appendFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

// TEMPORARY (issue 12 tail hunt): JSON lines to $SHOPFLOOR_ALERT_TRACE, flushed every 500 ms.
const file = process.env.SHOPFLOOR_ALERT_TRACE;
let buffer: string[] = [];
if (file) {
  setInterval(() => {
    if (buffer.length === 0) return;
    const lines = buffer;
    buffer = [];
    appendFileSync(file, `${lines.join('\n')}\n`);
  }, 500).unref();
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  setInterval(() => {
    buffer.push(JSON.stringify({ k: 'loop', t: Date.now(), maxMs: delay.max / 1e6, p99Ms: delay.percentile(99) / 1e6 }));
    delay.reset();
  }, 250).unref();
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      buffer.push(JSON.stringify({ k: 'gc', t: Math.round(performance.timeOrigin + e.startTime), ms: e.duration, kind: (e as unknown as { detail?: { kind?: number } }).detail?.kind }));
  }).observe({ entryTypes: ['gc'] });
}

export const alertTraceOn = file !== undefined;

export function alertTrace(entry: Record<string, unknown>): void {
  if (file) buffer.push(JSON.stringify(entry));
}
