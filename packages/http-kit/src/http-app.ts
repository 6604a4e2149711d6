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
import type { IncomingMessage, ServerResponse } from 'node:http';
import { installErrorHandling } from './error-handling.ts';

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
}

/**
 * The one place a Fastify app is built: body limit, logger, the zod type provider (validation and
 * serialization from the route schemas) and the JSON error answers. It does not listen: a main or
 * the all-in-one process listens, tests use `inject()`.
 */
export function createHttpApp(options: HttpAppOptions = {}): HttpApp {
  const app = Fastify({
    ...(options.bodyLimit === undefined ? {} : { bodyLimit: options.bodyLimit }),
    ...(options.logger === undefined ? {} : { loggerInstance: options.logger }),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);
  return app;
}
