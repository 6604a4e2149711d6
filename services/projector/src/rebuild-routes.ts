import type { FastifyInstance } from 'fastify';
import { type RebuildJob, RebuildRunningError } from './rebuild-job.ts';

/**
 * The rebuild's admin API, served by the ClickHouse-owning process (the projector, or the all-in-one):
 * - `POST /admin/rebuild` starts a rebuild: 202 with its status, 409 `REBUILD_RUNNING` if one runs;
 * - `GET /admin/rebuild` its status and progress (records done / total, records/s, ETA);
 * - `DELETE /admin/rebuild` aborts it (the serving tables stay as they are) and answers the status.
 * The process listens on loopback by default (HOST); put the admin routes behind the operators' own
 * access control when it does not.
 */
export async function rebuildRoutes(app: FastifyInstance, { job }: { job: RebuildJob }) {
  app.post('/admin/rebuild', async (_request, reply) => {
    try {
      return reply.code(202).header('location', '/admin/rebuild').send(job.start());
    } catch (err) {
      if (!(err instanceof RebuildRunningError)) throw err;
      return reply.code(409).send({ code: 'REBUILD_RUNNING', message: err.message, status: job.status() });
    }
  });
  app.get('/admin/rebuild', async () => job.status());
  app.delete('/admin/rebuild', async () => job.abort());
}
