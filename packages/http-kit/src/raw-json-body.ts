import type { FastifyInstance, FastifyRequest } from 'fastify';

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * Makes the JSON bodies of `app`'s routes (the plugin it is called in, and its children) keep their
 * text, read back with `rawJsonBodyOf(request)`, so a route can return what a client sent byte for
 * byte (a dead letter's payload) rather than a re-serialization of the parsed value. Parsing is
 * Fastify's own JSON parser, with the same limits and errors (__proto__ and constructor refused).
 */
export function keepRawJsonBody(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string; // parseAs: 'string'
    rawBodies.set(request, text);
    parse(request, text, done);
  });
}

/** The text of the request's JSON body, when it was parsed under `keepRawJsonBody`. */
export function rawJsonBodyOf(request: FastifyRequest): string | undefined {
  return rawBodies.get(request);
}
