import type { FastifyInstance } from 'fastify';
import { type MetricsSnapshot, mergeMetrics, SNAPSHOT_CONTENT_TYPE } from './metrics-snapshot.ts';
import type { ShopfloorMetrics } from './shopfloor-metrics.ts';

export interface MetricsRoutesOptions {
  metrics: ShopfloorMetrics;
  /**
   * The metrics of the other processes this one answers for, added to its own at every scrape (the
   * split topology's gateway process adds the pipeline process's). A source that fails fails the scrape.
   */
  mergeFrom?: () => Promise<MetricsSnapshot>;
}

/** Requests that matched no route are labelled with this instead of their URL (bounded cardinality). */
export const UNMATCHED_ROUTE = '(unmatched)';

/** One answered request, as `shopfloor_http_request_duration_seconds` labels and observes it. */
export type HttpRequestObservation = Parameters<ShopfloorMetrics['httpRequest']>[0];

/**
 * Hands every request `app` answers to `observe` (route pattern, method, status code, seconds). Call
 * on the app itself, before its routes, so the hook sees every route: `metricsRoutes` does, and a
 * thread whose process keeps the metrics elsewhere (the standalone's query thread) posts them there.
 */
export function observeHttpRequests(
  app: FastifyInstance,
  observe: (request: HttpRequestObservation) => void,
): void {
  app.addHook('onResponse', async (request, reply) => {
    observe({
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      method: request.method,
      statusCode: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
  });
}

/**
 * `GET /metrics` in the Prometheus text format, and the latency of every request the app answers
 * (`shopfloor_http_request_duration_seconds` by route pattern, method, status code). Register it
 * on the app before the routes: its hook is installed on the app itself, not in a child context,
 * so it sees every route. Asked with `Accept: application/json` (never what Prometheus sends), it
 * answers this process's snapshot, for a process that merges it into its own.
 */
export async function metricsRoutes(app: FastifyInstance, options: MetricsRoutesOptions): Promise<void> {
  const { metrics, mergeFrom } = options;
  observeHttpRequests(app, (request) => metrics.httpRequest(request));
  app.get('/metrics', async (request, reply) => {
    if (request.headers.accept === SNAPSHOT_CONTENT_TYPE) return reply.send(await metrics.snapshot());
    const text = mergeFrom
      ? await mergeMetrics(await Promise.all([metrics.snapshot(), mergeFrom()]))
      : await metrics.scrape();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}

// The hook belongs to the app it is registered on (what fastify-plugin's skip-override does).
(metricsRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
