import { errorResponseSchema } from '@shopfloor/contracts';
import type { HttpRoutes } from '@shopfloor/http-kit';
import { alertParamsSchema, alertResolutionAnswerSchema, resolveAlertBodySchema } from '@shopfloor/sensors';
import type { AlertResolver } from './alert-resolution.ts';

/** Who resolved an alert when auth is off (the loopback demo). */
export const ANONYMOUS = 'anonymous';

/**
 * `PATCH /api/alerts/:id/resolve` `{note?}`: 200 with the alert's resolution, the same for every
 * call after the first; 404 for an unknown alert. Resolving is an operator's act (role `operator`).
 */
export const alertRoutes: HttpRoutes<{ resolve: AlertResolver }> = async (app, options) => {
  app.patch(
    '/api/alerts/:id/resolve',
    {
      config: { access: 'operate' },
      schema: {
        params: alertParamsSchema,
        body: resolveAlertBodySchema,
        response: {
          200: alertResolutionAnswerSchema,
          400: errorResponseSchema,
          404: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (request) =>
      options.resolve({
        alertId: request.params.id,
        resolvedBy: request.principal?.keyId ?? ANONYMOUS,
        note: request.body?.note ?? null,
      }),
  );
};
