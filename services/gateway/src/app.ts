import { installErrorHandling } from '@shopfloor/http-kit';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { gatewayRoutes, type GatewayOptions } from './gateway-routes.ts';

export interface GatewayAppConfig {
  maxBodyBytes: number;
  maxBatchEvents: number;
  syncTimeoutMs: number;
  maxInflightEvents?: number;
}

/** The gateway alone, not listening: main.ts listens, tests use inject(). */
export async function buildGatewayApp(
  config: GatewayAppConfig,
  deps: Omit<GatewayOptions, 'maxBatchEvents' | 'syncTimeoutMs'> & { logger?: Logger },
): Promise<FastifyInstance> {
  const app = Fastify({
    bodyLimit: config.maxBodyBytes,
    ...(deps.logger ? { loggerInstance: deps.logger } : {}),
  }) as unknown as FastifyInstance;
  installErrorHandling(app);
  await app.register(gatewayRoutes, {
    ...deps,
    maxBatchEvents: config.maxBatchEvents,
    syncTimeoutMs: config.syncTimeoutMs,
    ...(config.maxInflightEvents ? { maxInflightEvents: config.maxInflightEvents } : {}),
  });
  return app;
}
