import { requestStateReset } from '@shopfloor/consumer';
import { errorResponseSchema } from '@shopfloor/contracts';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { z } from 'zod';

const resetBodySchema = z
  .object({
    from: z.enum(['changelog', 'raw'], { error: 'from must be "changelog" or "raw"' }).optional(),
  })
  .nullish(); // no body at all: the changelog

const resetAnswerSchema = z.object({
  requested: z.enum(['changelog', 'raw']),
  appliedAt: z.literal('next start of this process'),
});

/**
 * `POST /admin/dedupe-state/reset {"from": "changelog" | "raw"}`: asks for this process's dedupe
 * state store to be rebuilt at its next start (the store is open while it runs): from events.state,
 * or from events.raw (services/consumer/README.md, "Rebuilding the dedupe state"). Answers 202.
 * `pnpm shopfloor reset-derived --only state --state-from raw` writes the same request offline.
 */
export const dedupeStateRoutes: HttpRoutes<{ stateDir: string }> = async (app, { stateDir }) => {
  app.post(
    '/admin/dedupe-state/reset',
    {
      config: { invalidBodyCode: 'INVALID_QUERY' },
      schema: { body: resetBodySchema, response: { 202: resetAnswerSchema, 400: errorResponseSchema } },
    },
    async (request, reply) => {
      const from = request.body?.from ?? 'changelog';
      await requestStateReset(stateDir, from);
      return reply.code(202).send({ requested: from, appliedAt: 'next start of this process' });
    },
  );
};
