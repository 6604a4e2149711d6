import { requestStateReset } from '@shopfloor/consumer';
import { HttpError } from '@shopfloor/http-kit';
import type { FastifyInstance } from 'fastify';

/**
 * `POST /admin/dedupe-state/reset {"from": "changelog" | "raw"}`: asks for this process's dedupe
 * state store to be rebuilt at its next start (the store is open while it runs): from events.state,
 * or from events.raw (services/consumer/README.md, "Rebuilding the dedupe state"). Answers 202.
 */
export async function dedupeStateRoutes(app: FastifyInstance, { stateDir }: { stateDir: string }) {
  app.post('/admin/dedupe-state/reset', async (request, reply) => {
    const from = (request.body as { from?: unknown } | undefined)?.from ?? 'changelog';
    if (from !== 'changelog' && from !== 'raw')
      throw new HttpError('INVALID_QUERY', 'from must be "changelog" or "raw"');
    await requestStateReset(stateDir, from);
    return reply.code(202).send({ requested: from, appliedAt: 'next start of this process' });
  });
}
