import type { Logger } from 'pino';
import { postDemoJson, repeatDemoTick } from './demo-loop.ts';

export type DemoMetricEvent = {
  client_id: string;
  source: string;
  payload: { metric: string; amount: number; timestamp: string };
};

const METRICS = ['units_produced', 'energy_wh', 'scrap_units'] as const;

/**
 * The demo's metric events, one tick at a time: two clients send an event per metric each tick, and
 * now and then one of them sends an event it sent before again, unchanged (a retry: the stream's
 * content-hash identity counts it once). Pure but for `random`.
 */
export function createDemoMetricClients(prefix = 'demo-line', random: () => number = Math.random) {
  const clients = [`${prefix}-1`, `${prefix}-2`];
  let last: DemoMetricEvent | undefined;
  return {
    clients,
    next(nowMs: number): DemoMetricEvent[] {
      const events = clients.flatMap((client_id) =>
        METRICS.map((metric) => ({
          client_id,
          source: 'demo',
          payload: {
            metric,
            amount: 1 + Math.floor(random() * (metric === 'energy_wh' ? 500 : 10)),
            timestamp: new Date(nowMs).toISOString(),
          },
        })),
      );
      const retry = last !== undefined && random() < 0.2 ? [last] : [];
      last = events[Math.floor(random() * events.length)];
      return [...events, ...retry];
    },
  };
}

/**
 * Simulated clients posting metric events (`POST /events/batch-metrics`) beside the demo machines, so
 * the start command shows the metric-events stream at work: its totals per client and metric in
 * `GET /aggregates` and on the dashboard.
 */
export function startDemoMetricClients(options: {
  baseUrl: string;
  log: Logger;
  intervalMs?: number;
  /** Client ids are `<prefix>-1` and `<prefix>-2` (default `demo-line`). */
  prefix?: string;
}): { stop(): void } {
  const { baseUrl, log } = options;
  const demo = createDemoMetricClients(options.prefix);
  const tick = async (n: number) => {
    // The counts; not the per-event results (one id each).
    const { results: _results, ...answer } = await postDemoJson(
      `${baseUrl}/events/batch-metrics`,
      demo.next(Date.now()),
    );
    if (n % 10 === 0) {
      const from = new Date(Date.now() - 3_600_000).toISOString();
      const to = new Date(Date.now() + 60_000).toISOString();
      const totals = await (
        await fetch(`${baseUrl}/aggregates?client_id=${demo.clients[0]}&from=${from}&to=${to}&by=metric`)
      ).json();
      log.info({ answer, totals }, `demo: posted metric events; current totals of ${demo.clients[0]}`);
    }
  };
  return repeatDemoTick(tick, {
    intervalMs: options.intervalMs ?? 1000,
    log,
    failure: 'demo metric events failed',
  });
}
