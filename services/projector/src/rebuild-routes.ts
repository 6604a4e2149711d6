import type { FastifyInstance } from 'fastify';
import { type RebuildJob, RebuildRunningError, UnknownRebuildStreamError } from './rebuild-job.ts';

/** `?streams=sensors,metric-events` → the names; absent or empty → every stream. */
function streamsOf(query: unknown): string[] | undefined {
  const raw = (query as { streams?: unknown } | undefined)?.streams;
  if (typeof raw !== 'string' || raw.trim() === '') return undefined;
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The rebuild's admin API, served by the ClickHouse-owning process (the projector, or the all-in-one):
 * - `POST /admin/rebuild[?streams=events,sensors,metric-events]` starts a rebuild of the named
 *   streams' projections (default: every stream the process projects): 202 with its status, 409
 *   `REBUILD_RUNNING` if one runs, 400 `UNKNOWN_STREAM` for a stream it does not project;
 * - `GET /admin/rebuild` its status and progress (records done / total, records/s, ETA, streams);
 * - `DELETE /admin/rebuild` aborts it (the serving tables stay as they are) and answers the status.
 * With auth on, `/admin/*` takes an operator key.
 */
export async function rebuildRoutes(app: FastifyInstance, { job }: { job: RebuildJob }) {
  app.post('/admin/rebuild', async (request, reply) => {
    try {
      return reply
        .code(202)
        .header('location', '/admin/rebuild')
        .send(job.start(streamsOf(request.query)));
    } catch (err) {
      if (err instanceof UnknownRebuildStreamError)
        return reply.code(400).send({ code: 'UNKNOWN_STREAM', message: err.message });
      if (!(err instanceof RebuildRunningError)) throw err;
      return reply.code(409).send({ code: 'REBUILD_RUNNING', message: err.message, status: job.status() });
    }
  });
  app.get('/admin/rebuild', async () => job.status());
  app.delete('/admin/rebuild', async () => job.abort());
}
