import { randomUUID } from 'node:crypto';
import { errorResponseSchema } from '@shopfloor/contracts';
import { assertWithinLimit, type HttpRoutes, InflightLimit, publishThenAwait } from '@shopfloor/http-kit';
import { z } from 'zod';
import {
  batchResultSchema,
  type EventResult,
  eventResultSchema,
  metricEventBodyDoc,
} from './metric-http-schemas.ts';
import { intakeMetricEvents, type MetricIntake } from './metric-intake.ts';
import type { MetricOutcome, OutcomeWaiters } from './outcome-waiters.ts';

export interface MetricIntakeOptions {
  /** Appends the intake to the log (resolves once durable; throws when Kafka does not acknowledge). */
  publish: (intake: MetricIntake) => Promise<void>;
  waiters: OutcomeWaiters;
  allowSimulatedFailures: boolean;
  maxBatchEvents: number;
  syncTimeoutMs: number;
  /** Events held (until acknowledged, and in sync mode until decided); past it, 503 OVERLOADED. */
  maxInflightEvents?: number | undefined;
  now?: () => number;
}

const modeQuerySchema = z.object({
  mode: z
    .enum(['async'])
    .optional()
    .describe('`async`: answer 202 as soon as the events are durable in Kafka.'),
});

const errors = { 400: errorResponseSchema, 413: errorResponseSchema, 503: errorResponseSchema };

function resultOf(item: MetricIntake['items'][number], outcome: MetricOutcome | undefined): EventResult {
  const index = item.seq;
  if (item.kind === 'rejected') {
    return {
      index,
      id: null,
      status: 'rejected',
      duplicate: null,
      reason: item.reason,
      message: item.message,
    };
  }
  if (!outcome) return { index, id: item.id, status: 'pending', duplicate: null };
  if (outcome.status === 'failed') {
    return { index, id: item.id, status: 'failed', duplicate: false, reason: outcome.reason };
  }
  return { index, id: item.id, status: 'processed', duplicate: outcome.duplicate };
}

/**
 * Publishes the intake, then (unless async) waits up to the sync timeout for the outcome of every
 * accepted element, visible to queries. A Kafka failure is 503 KAFKA_UNAVAILABLE: nothing of the
 * request is acknowledged, and a retry is safe (identical events are duplicates).
 */
async function ingest(
  options: MetricIntakeOptions,
  inflight: InflightLimit,
  elements: unknown[],
  async: boolean,
): Promise<{ requestId: string; results: EventResult[] }> {
  const intake = intakeMetricEvents(elements, {
    requestId: randomUUID(),
    receivedAt: (options.now ?? Date.now)(),
    allowSimulatedFailures: options.allowSimulatedFailures,
  });
  const accepted = intake.raw.map((r) => r.seq);
  // Shed load rather than hold events without bound when the stream cannot keep up: a request
  // past the bound is refused (503 OVERLOADED) before anything of it is appended or awaited.
  const outcomes =
    (await inflight.hold(elements.length, () =>
      publishThenAwait(
        () => options.publish(intake),
        async || accepted.length === 0 ? undefined : options.waiters.expect(intake.requestId, accepted),
        options.syncTimeoutMs,
      ),
    )) ?? new Map<number, MetricOutcome>();
  return {
    requestId: intake.requestId,
    results: intake.items.map((item) => resultOf(item, outcomes.get(item.seq))),
  };
}

const STATUS_OF_SINGLE: Record<EventResult['status'], number> = {
  processed: 201,
  failed: 200,
  rejected: 422,
  pending: 202,
};

/**
 * POST /events (one event) and POST /events/batch-metrics (an array). Both answer once every
 * accepted event's outcome is final and visible to queries (or 202 past SHOPFLOOR_SYNC_TIMEOUT_MS,
 * or at once with `?mode=async`).
 */
export const metricIntakeRoutes: HttpRoutes<MetricIntakeOptions> = async (app, options) => {
  const inflight = new InflightLimit(options.maxInflightEvents ?? Number.POSITIVE_INFINITY);
  app.post(
    '/events',
    {
      config: { access: 'write-events' },
      schema: {
        description:
          'One metric event. 201: processed (counted); 200: a duplicate of a processed event (same id, not counted again) or a failed one (status failed, e.g. SIMULATED_FAILURE); 202: not final within the sync timeout (or ?mode=async); 422: rejected (reason code), listed among the failed events.',
        body: metricEventBodyDoc,
        querystring: modeQuerySchema,
        response: {
          200: eventResultSchema,
          201: eventResultSchema,
          202: eventResultSchema,
          422: eventResultSchema,
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { results } = await ingest(options, inflight, [request.body], request.query.mode === 'async');
      const r = results[0] as EventResult;
      const status = r.status === 'processed' && r.duplicate ? 200 : STATUS_OF_SINGLE[r.status];
      return reply.status(status).send(r);
    },
  );

  app.post(
    '/events/batch-metrics',
    {
      config: { invalidBodyCode: 'BODY_NOT_ARRAY', access: 'write-events' },
      schema: {
        description:
          'An array of metric events, each decided on its own (per-item results in request order). 200 when every result is final (processed, failed or rejected); 202 when some are pending.',
        body: z.array(z.unknown(), { error: 'The request body must be a JSON array of metric events.' }),
        querystring: modeQuerySchema,
        response: { 200: batchResultSchema, 202: batchResultSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertWithinLimit(body.length, options.maxBatchEvents, 'events');
      const { requestId, results } = await ingest(options, inflight, body, request.query.mode === 'async');
      const count = (f: (r: EventResult) => boolean) => results.filter(f).length;
      const pending = count((r) => r.status === 'pending');
      return reply.status(pending > 0 ? 202 : 200).send({
        requestId,
        processed: count((r) => r.status === 'processed' && r.duplicate === false),
        duplicates: count((r) => r.duplicate === true),
        failed: count((r) => r.status === 'failed'),
        rejected: count((r) => r.status === 'rejected'),
        pending,
        results,
      });
    },
  );
};
