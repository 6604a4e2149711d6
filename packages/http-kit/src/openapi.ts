import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export interface OpenApiInfo {
  title: string;
  version: string;
  description?: string;
}

/** The parts of an OpenAPI document that are merged (the rest is this app's). */
export interface OpenApiDocument {
  paths?: Record<string, unknown>;
  components?: { schemas?: Record<string, unknown>; [part: string]: unknown };
  [field: string]: unknown;
}

/** `own` with the paths and component schemas of `other` added (own's win where both have one). */
export function mergeOpenApi(own: OpenApiDocument, other: OpenApiDocument): OpenApiDocument {
  return {
    ...own,
    paths: { ...other.paths, ...own.paths },
    components: {
      ...own.components,
      schemas: { ...other.components?.schemas, ...own.components?.schemas },
    },
  };
}

/**
 * `/openapi.json` (OpenAPI 3.1) generated from the routes' zod schemas (no second copy of them), and
 * Swagger UI at `/docs`. Registered before any route, so every route registered later is in it. With
 * `mergeFrom`, `/openapi.json` also describes another process's routes (a front process answering
 * for the process behind it).
 */
export function installOpenApi(
  app: FastifyInstance,
  info: OpenApiInfo,
  mergeFrom?: () => Promise<OpenApiDocument>,
): void {
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
    scope.get('/openapi.json', { schema: { hide: true } }, async () =>
      mergeFrom ? mergeOpenApi(app.swagger() as OpenApiDocument, await mergeFrom()) : app.swagger(),
    );
  });
}
