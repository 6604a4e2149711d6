import type { FastifyInstance } from 'fastify';
import type { ShopfloorMetrics } from './shopfloor-metrics.ts';

export interface MetricsRoutesOptions {
  metrics: ShopfloorMetrics;
}

/** Requests that matched no route are labelled with this instead of their URL (bounded cardinality). */
export const UNMATCHED_ROUTE = '(unmatched)';

/**
 * `GET /metrics` in the Prometheus text format, and the latency of every request the app answers
 * (`shopfloor_http_request_duration_seconds` by route pattern, method, status code). Register it
 * on the app before the routes: its hook is installed on the app itself, not in a child context,
 * so it sees every route.
 */
export async function metricsRoutes(app: FastifyInstance, options: MetricsRoutesOptions): Promise<void> {
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    metrics.httpRequest({
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      method: request.method,
      statusCode: reply.statusCode,
      seconds: reply.elapsedTime / 1000,
    });
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await metrics.scrape();
    return reply.header('content-type', metrics.contentType).send(text);
  });
}

// The hook belongs to the app it is registered on (what fastify-plugin's skip-override does).
(metricsRoutes as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
