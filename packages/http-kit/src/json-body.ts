import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';

/**
 * The deepest nesting of arrays and objects found in a JSON text, stopping as soon as it passes
 * `limit`. A byte scan, not a parse: `[[[...]]]` 200 000 deep must be refused before anything
 * recursive (the parser, a validator, a serializer) walks it.
 */
export function jsonDepthExceeds(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 /* [ */ || c === 123 /* { */) {
      if (++depth > limit) return true;
    } else if (c === 93 /* ] */ || c === 125 /* } */) depth--;
  }
  return false;
}

const rawBodies = new WeakMap<FastifyRequest, string>();

/**
 * The exact text of the request's JSON body, so a route can return what a client sent byte for byte
 * (a dead letter's payload) rather than a re-serialization of the parsed value.
 */
export function rawJsonBodyOf(request: FastifyRequest): string | undefined {
  return rawBodies.get(request);
}

/**
 * JSON is the only body the API reads: every other content type (text/plain included) is
 * 415 UNSUPPORTED_MEDIA_TYPE, an empty or broken body 400 INVALID_JSON and one nested deeper than
 * `maxDepth` 400 JSON_TOO_DEEP.
 */
export function installJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    rawBodies.set(request, text);
    if (text.trim() === '') return done(new HttpError('INVALID_JSON', 'The request body is empty.'));
    if (jsonDepthExceeds(text, maxDepth)) {
      return done(
        new HttpError('JSON_TOO_DEEP', `The request body nests arrays or objects deeper than ${maxDepth}.`),
      );
    }
    // Fastify's own parser (secure-json-parse): `__proto__` / `constructor.prototype` keys are refused.
    parseJson(request, text, (err, value) =>
      err
        ? done(new HttpError('INVALID_JSON', `The request body is not valid JSON: ${err.message}`))
        : done(null, value),
    );
  });
}
