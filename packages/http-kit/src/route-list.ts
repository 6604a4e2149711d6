import type { FastifyInstance } from 'fastify';

export interface RegisteredRoute {
  method: string;
  url: string;
  /** Left out of the OpenAPI document on purpose (the document itself, the UI's files). */
  hidden: boolean;
}

const lists = new WeakMap<FastifyInstance, RegisteredRoute[]>();

/** Records every route registered on the app from now on (the tests compare them to the document). */
export function recordRoutes(app: FastifyInstance): void {
  const list: RegisteredRoute[] = [];
  lists.set(app, list);
  app.addHook('onRoute', (route) => {
    const hidden = Boolean((route.schema as { hide?: boolean } | undefined)?.hide);
    for (const method of [route.method].flat()) list.push({ method, url: route.url, hidden });
  });
}

/** Every route of an app from `createHttpApp`, HEAD and aliases included. */
export function registeredRoutes(app: FastifyInstance): readonly RegisteredRoute[] {
  return lists.get(app) ?? [];
}
