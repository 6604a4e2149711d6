import { isValidId } from '@shopfloor/contracts';
import { HttpError } from '@shopfloor/http-kit';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { DashboardPorts } from './dashboard-ports.ts';
import { pageHtml } from './page-html.ts';
import { buildSnapshot } from './snapshot.ts';
import { WINDOW_KEYS } from './snapshot-types.ts';
import { buildWebBundle } from './web-bundle.ts';

export interface DashboardOptions {
  ports: DashboardPorts;
  /** How often the page polls, ms. Default 3000. */
  refreshMs?: number;
  /** Redirect `GET /` to the dashboard. Default true. */
  redirectRoot?: boolean;
  now?: () => number;
}

const BASE = '/dashboard';

const snapshotQuerySchema = z.object({
  window: z.enum(WINDOW_KEYS).default('1h'),
  factoryId: z
    .string()
    .refine(isValidId, { message: 'factoryId must be 1-128 characters without control characters' })
    .optional(),
});

/**
 * The live dashboard: the page at /dashboard (bundled at registration), and the snapshot it polls
 * at /dashboard/api/snapshot. Reads only through `ports`.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardOptions): Promise<void> {
  const refreshMs = options.refreshMs ?? 3_000;
  const now = options.now ?? Date.now;
  const bundle = await buildWebBundle();
  const html = pageHtml(BASE);

  if (options.redirectRoot ?? true) app.get('/', (_request, reply) => reply.redirect(BASE));
  app.get(BASE, (_request, reply) => reply.type('text/html; charset=utf-8').send(html));
  app.get(`${BASE}/app.js`, (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'no-cache').send(bundle.js),
  );
  app.get(`${BASE}/app.css`, (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(bundle.css),
  );
  app.get(`${BASE}/api/snapshot`, async (request, reply) => {
    const parsed = snapshotQuerySchema.safeParse(request.query);
    if (!parsed.success) {
      throw new HttpError('INVALID_QUERY', parsed.error.issues.map((i) => i.message).join('; '));
    }
    const snapshot = await buildSnapshot(options.ports, parsed.data, now(), refreshMs);
    return reply.header('cache-control', 'no-store').send(snapshot);
  });
}
