import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { metricsRoutes, type ShopfloorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { type GatewayOptions, gatewayRoutes } from './gateway-routes.ts';

export interface GatewayAppConfig {
  maxBodyBytes: number;
  maxBatchEvents: number;
  syncTimeoutMs: number;
  maxInflightEvents?: number;
}

/** The gateway alone, not listening: tests use inject() (with fakes of the publisher and tracker). */
export async function buildGatewayApp(
  config: GatewayAppConfig,
  deps: Pick<GatewayOptions, 'publisher' | 'outcomes' | 'now'> & {
    logger?: Logger;
    /** GET /metrics, the latency of every route and the gateway's counts. */
    metrics?: ShopfloorMetrics;
  },
): Promise<HttpApp> {
  const app = createHttpApp({
    bodyLimit: config.maxBodyBytes,
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  if (deps.metrics) await app.register(metricsRoutes, { metrics: deps.metrics });
  await app.register(gatewayRoutes, {
    publisher: deps.publisher,
    outcomes: deps.outcomes,
    ...(deps.metrics ? { metrics: deps.metrics.gateway } : {}),
    ...(deps.now ? { now: deps.now } : {}),
    maxBatchEvents: config.maxBatchEvents,
    syncTimeoutMs: config.syncTimeoutMs,
    ...(config.maxInflightEvents ? { maxInflightEvents: config.maxInflightEvents } : {}),
  });
  return app;
}
