import type { Access } from '@shopfloor/auth';
import type { FastifyInstance, RouteOptions } from 'fastify';

/** What a route needs of an API key: a role's access, or `public` (no key, even when auth is on). */
export type RouteAccess = Access | 'public';

/**
 * Paths anyone may call: the probes, the API description and its UI, Prometheus' scrape (counts and
 * latencies only: no factory, machine, event or key ids in any label), and the dashboard's page
 * and assets (its data, /dashboard/api/*, is not public).
 */
const PUBLIC = /^\/(health|ready|metrics|openapi\.json|docs(\/.*)?|dashboard(\/app\.(js|css))?)?$/;
/** Operator paths: rebuilds, resets, the internal status and the winner lookup, the dashboard's data. */
const OPERATOR = /^\/(admin|internal|dashboard\/api)\//;

/**
 * The access of a route that declares none, so a route added without thinking of keys is covered:
 * operator paths need `operate`; reads (GET, HEAD) `read-stats`; every other method `write-events`.
 * Routes under an alias prefix (`/api/v1/...`) are judged by the path after it.
 */
export function defaultAccess(method: string, url: string, aliasPrefix = '/api/v1'): RouteAccess {
  const path = aliasPrefix && url.startsWith(`${aliasPrefix}/`) ? url.slice(aliasPrefix.length) : url;
  if (PUBLIC.test(path)) return 'public';
  if (OPERATOR.test(path)) return 'operate';
  return method === 'GET' || method === 'HEAD' ? 'read-stats' : 'write-events';
}

/** Gives every route registered from now on its default access, unless it declares one. */
export function installDefaultAccess(app: FastifyInstance, aliasPrefix: string): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    if (route.config?.access) return;
    const method = [route.method].flat()[0] ?? 'GET';
    route.config = { ...route.config, access: defaultAccess(method, route.url, aliasPrefix) };
  });
}
