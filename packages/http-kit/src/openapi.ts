import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/**
 * `/openapi.json` (OpenAPI 3.1) generated from the routes' zod schemas (no second copy of them), and
 * Swagger UI at `/docs`. Registered before any route, so every route registered later is in it.
 */
export function installOpenApi(app: FastifyInstance, info: OpenApiInfo): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info,
      components: {
        securitySchemes: {
          apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  app.register(fastifySwaggerUi, { routePrefix: '/docs' });
  app.register(async (scope) => {
    scope.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });
}
