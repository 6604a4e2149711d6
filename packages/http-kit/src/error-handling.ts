import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { HTTP_ERRORS, HttpError, type HttpErrorCode } from './errors.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The code a body that fails the route's body schema is answered with (default INVALID_BODY). */
    invalidBodyCode?: HttpErrorCode;
  }
}

/** Fastify's own errors that are the caller's mistake, mapped to our stable codes. */
const FASTIFY_CODES: Record<string, HttpErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'INVALID_JSON',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'INVALID_JSON',
};

function send(reply: FastifyReply, error: HttpError): FastifyReply {
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  return reply.status(error.status).send({ code: error.code, message: error.message });
}

/**
 * Every error leaves as `{code, message}` JSON: 4xx for the caller's mistakes, 503 with the
 * Retry-After of its code when a dependency is down, 500 only for our own bugs. A request that
 * fails a route's zod schema is a 400 whose message joins the schema's messages (they name the
 * parameter).
 */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof HttpError) return send(reply, error);
    if (hasZodFastifySchemaValidationErrors(error)) {
      const code =
        error.validationContext === 'body'
          ? (request.routeOptions.config.invalidBodyCode ?? 'INVALID_BODY')
          : 'INVALID_QUERY';
      return send(reply, new HttpError(code, error.validation.map((v) => v.message).join('; ')));
    }
    const mapped = error.code ? FASTIFY_CODES[error.code] : undefined;
    if (mapped) return send(reply, new HttpError(mapped, error.message));
    if (error instanceof SyntaxError || (error.statusCode === 400 && /JSON/i.test(error.message))) {
      return send(reply, new HttpError('INVALID_JSON', error.message));
    }
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
      return reply.status(error.statusCode).send({ code: 'INVALID_QUERY', message: error.message });
    }
    request.log.error({ err: error }, 'unhandled error');
    return send(reply, new HttpError('INTERNAL', HTTP_ERRORS.INTERNAL.message));
  });
  app.setNotFoundHandler((request, reply) =>
    send(reply, new HttpError('NOT_FOUND', `No route ${request.method} ${request.url}`)),
  );
}
