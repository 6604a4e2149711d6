import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyRing } from '@shopfloor/auth';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyPluginOptions,
  type RawServerDefault,
} from 'fastify';
import {
  type FastifyPluginAsyncZod,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { installApiKeyAuth, installKeyRateLimit } from './api-key-auth.ts';
import { installErrorHandling } from './error-handling.ts';
import { installJsonBodyParser } from './json-body.ts';
import { installOpenApi, type OpenApiDocument, type OpenApiInfo } from './openapi.ts';
import { installDefaultAccess } from './route-access.ts';
import { installRouteAliases } from './route-aliases.ts';
import { recordRoutes } from './route-list.ts';

/** A Fastify app whose route schemas are zod: they validate requests, type handlers and shape answers. */
export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A plugin of routes with zod schemas (what services register on an `HttpApp`). */
export type HttpRoutes<Options extends FastifyPluginOptions = Record<never, never>> =
  FastifyPluginAsyncZod<Options>;

export interface HttpAppOptions {
  /** Largest request body in bytes (413 PAYLOAD_TOO_LARGE past it). Default: Fastify's 1 MiB. */
  bodyLimit?: number;
  /** A pino logger; none logs nothing. */
  logger?: FastifyBaseLogger;
  /** `/openapi.json` and Swagger UI at `/docs` describe the app (default on, titled Shopfloor); false: none. */
  openapi?: OpenApiInfo | false;
  /** `/openapi.json` also describes the routes of the document this gives (the process behind a front one). */
  openapiMergeFrom?: () => Promise<OpenApiDocument>;
  /** Every route is also served under this prefix, for older clients (default `/api/v1`; '' for none). */
  aliasPrefix?: string;
  /** API keys: routes that declare `config.access` need a live key from this ring; none: auth off. */
  keys?: KeyRing;
  /** Requests per minute per API key when `keys` is set (429 RATE_LIMITED past it). */
  rateLimitPerMinute?: number;
  /** Bounds on what one client may cost the server; see `HTTP_LIMIT_DEFAULTS`. */
  limits?: Partial<HttpLimits>;
}

/** What a slow, hostile or broken client is allowed before it gets a bounded answer. */
export interface HttpLimits {
  /** The request line and headers must arrive within this (else 408 and the socket is closed). */
  headersTimeoutMs: number;
  /** The whole request (headers and body) must arrive within this (else 408). */
  requestTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed; must exceed the longest answer. */
  idleTimeoutMs: number;
  /** An idle keep-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
  /** Largest request line plus headers (else 431). */
  maxHeaderBytes: number;
  /** Deepest nesting of arrays/objects in a JSON body (else 400 JSON_TOO_DEEP). */
  maxJsonDepth: number;
}

export const HTTP_LIMIT_DEFAULTS: HttpLimits = Object.freeze({
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 60_000,
  idleTimeoutMs: 120_000,
  keepAliveTimeoutMs: 5_000,
  maxHeaderBytes: 16 * 1024,
  maxJsonDepth: 64,
});

/**
 * The one place a Fastify app is built: body limit, logger, the zod type provider (validation and
 * serialization from the route schemas) and the JSON error answers. It does not listen: a main or
 * the all-in-one process listens, tests use `inject()`.
 */
export function createHttpApp(options: HttpAppOptions = {}): HttpApp {
  const limits = { ...HTTP_LIMIT_DEFAULTS, ...options.limits };
  const app = Fastify({
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.logger === undefined ? {} : { loggerInstance: options.logger }),
    // Path parameters are ids of up to 128 code points: percent-encoded that is up to 1 536 chars
    // (Fastify's default of 100 answered 414 for valid ids).
    routerOptions: { maxParamLength: 2_048 },
    requestTimeout: limits.requestTimeoutMs,
    connectionTimeout: limits.idleTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: {
      headersTimeout: limits.headersTimeoutMs,
      maxHeaderSize: limits.maxHeaderBytes,
      // Node checks the headers and request timeouts on this period (30 s by default).
      connectionsCheckingInterval: Math.min(1_000, limits.headersTimeoutMs),
    },
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installJsonBodyParser(app, limits.maxJsonDepth);
  installErrorHandling(app);
  recordRoutes(app);
  const aliasPrefix = options.aliasPrefix ?? '/api/v1';
  installDefaultAccess(app, aliasPrefix);
  if (options.keys) {
    installApiKeyAuth(app, options.keys);
    installKeyRateLimit(app, options.rateLimitPerMinute ?? 6_000);
  }
  if (options.openapi !== false) {
    installOpenApi(
      app,
      options.openapi ?? { title: 'Shopfloor', version: '0.1.0' },
      options.openapiMergeFrom,
    );
  }
  if (aliasPrefix) installRouteAliases(app, aliasPrefix);
  return app;
}
