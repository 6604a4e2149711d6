import type { FastifyInstance, RouteOptions } from 'fastify';

/** Paths that are not API routes and get no alias (the API description and its UI). */
const NOT_ALIASED = /^\/(api\/|docs(\/|$)|openapi\.json$)/;

/**
 * Serves every route registered after this also under `prefix` (`/api/v1/events/batch` is
 * `/events/batch`): the same handler, schemas and hooks, so clients written for the prefixed form
 * work unchanged. Routes already under `/api/` (the newer streams) keep their one path.
 */
export function installRouteAliases(app: FastifyInstance, prefix: string): void {
  app.addHook('onRoute', function addAlias(route: RouteOptions) {
    if (NOT_ALIASED.test(route.url) || route.url.startsWith(`${prefix}/`)) return;
    // Fastify adds a HEAD to every GET, the alias's GET included.
    if (route.method === 'HEAD') return;
    const url = route.url === '/' ? prefix : `${prefix}${route.url}`;
    // The alias is registered on the instance that registered the route: same hooks, same scope.
    this.route({ ...route, url, path: url } as RouteOptions);
  });
}
