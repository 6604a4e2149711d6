// What the system under test says about a run, from its /metrics before and after: the mean time
// its HTTP layer took to answer one route (Fastify's elapsed time: from the request read to the
// reply sent, so a bench figure minus it is the wait for the event loop and the socket), and its
// event loop delay over the run (prom-client resets that histogram at each scrape, so the scrape
// after a run holds the run's, when nothing else scraped in between).
import { promValue } from './prometheus-text.ts';

/** Mean ms the server took per answered request of `route` (200s of `method`) between two scrapes. */
export function routeMeanMs(
  before: string,
  after: string,
  route: string,
  method = 'GET',
): number | undefined {
  const labels = { route, method, status_code: '200' };
  const at = (m: string, suffix: 'sum' | 'count') =>
    promValue(m, `shopfloor_http_request_duration_seconds_${suffix}`, labels) ?? 0;
  const count = at(after, 'count') - at(before, 'count');
  if (count <= 0) return undefined;
  return Math.round(((at(after, 'sum') - at(before, 'sum')) / count) * 10_000) / 10;
}

export type EventLoopLag = { p50Ms: number; p99Ms: number; maxMs: number };

/**
 * The event loop delay since the previous scrape (prom-client's `monitorEventLoopDelay`, 10 ms
 * resolution: an idle loop reads about 10 ms, and what is above it is time the loop was busy).
 */
export function eventLoopLag(after: string): EventLoopLag | undefined {
  const ms = (name: string) => {
    const v = promValue(after, name);
    return v === undefined ? undefined : Math.round(v * 10_000) / 10;
  };
  const p50Ms = ms('nodejs_eventloop_lag_p50_seconds');
  const p99Ms = ms('nodejs_eventloop_lag_p99_seconds');
  const maxMs = ms('nodejs_eventloop_lag_max_seconds');
  return p50Ms === undefined || p99Ms === undefined || maxMs === undefined
    ? undefined
    : { p50Ms, p99Ms, maxMs };
}
