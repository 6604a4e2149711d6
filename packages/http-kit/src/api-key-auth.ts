import fastifyRateLimit from '@fastify/rate-limit';
import type { KeyRing, Principal } from '@shopfloor/auth';
import { inScope, roleAllows } from '@shopfloor/auth';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { HttpError } from './errors.ts';
import type { RouteAccess } from './route-access.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * What the route needs of an API key's role, or `public`. A route that declares none gets
     * `defaultAccess` (route-access.ts): public probes and docs, operator paths, reads, writes.
     */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** The caller's key, when auth is on; undefined when it is off (loopback demo). */
    principal?: Principal;
  }
}

/** The presented key: `X-API-Key: <key>` or `Authorization: Bearer <key>`. */
function presentedKey(request: FastifyRequest): string | undefined {
  const header = request.headers['x-api-key'];
  if (typeof header === 'string' && header) return header.trim();
  const authorization = request.headers.authorization;
  const bearer = typeof authorization === 'string' ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return bearer?.[1];
}

/**
 * Every route that declares `config.access` needs a live key whose role allows it: none or an
 * unknown one is 401 UNAUTHORIZED, a role that does not allow it 403 FORBIDDEN_ROLE. The key is
 * never logged (only its public keyId goes to the request's logger).
 */
export function installApiKeyAuth(app: FastifyInstance, keys: KeyRing): void {
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    // Undeclared only on routes Fastify adds itself (404 handler): nothing to protect there.
    if (!access || access === 'public') return;
    const token = presentedKey(request);
    const principal = token ? await keys.authenticate(token) : null;
    if (!principal) throw new HttpError('UNAUTHORIZED');
    if (!roleAllows(principal.role, access)) {
      throw new HttpError('FORBIDDEN_ROLE', `A ${principal.role} key may not ${access.replace('-', ' ')}.`);
    }
    request.principal = principal;
    request.log = request.log.child({ keyId: principal.keyId });
  });
}

/**
 * Per-key rate limit on the routes that need a key (429 RATE_LIMITED with Retry-After). Runs after
 * the key check, so it counts per keyId, never per secret.
 */
export function installKeyRateLimit(app: FastifyInstance, perMinute: number): void {
  app.register(fastifyRateLimit, {
    global: true,
    max: perMinute,
    timeWindow: 60_000,
    hook: 'preHandler',
    allowList: (request) => !request.principal,
    keyGenerator: (request) => request.principal?.keyId ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new HttpError(
        'RATE_LIMITED',
        `At most ${context.max} requests per minute per API key; retry in ${context.after}.`,
      ),
  });
}

/** Throws 403 FORBIDDEN_SCOPE when auth is on and the factory is outside the caller's key. */
export function requireFactory(request: FastifyRequest, factoryId: string): void {
  if (request.principal && !inScope(request.principal, factoryId)) {
    throw new HttpError(
      'FORBIDDEN_SCOPE',
      `Factory ${JSON.stringify(factoryId)} is outside this API key's scope.`,
    );
  }
}

/** Whether the caller's key may touch a factory; undefined when auth is off (every factory). */
export function keyScopeOf(request: FastifyRequest): ((factoryId: string) => boolean) | undefined {
  const principal = request.principal;
  return principal ? (factoryId) => inScope(principal, factoryId) : undefined;
}

/**
 * Throws 403 MACHINE_OUT_OF_SCOPE when auth is on and the machine has events in a factory outside
 * the caller's key. A machine is known only by its events (`factoriesOf`: the factories it has live
 * events in); one with none gives nothing away and is answered. Not asked for an all-factory key.
 */
export async function requireMachine(
  request: FastifyRequest,
  machineId: string,
  factoriesOf: (machineId: string) => Promise<string[]>,
): Promise<void> {
  const principal = request.principal;
  if (!principal || principal.factories === '*') return;
  const outside = (await factoriesOf(machineId)).filter((f) => !inScope(principal, f));
  if (outside.length > 0)
    throw new HttpError(
      'MACHINE_OUT_OF_SCOPE',
      `Machine ${JSON.stringify(machineId)} has events in a factory outside this API key's scope.`,
    );
}
