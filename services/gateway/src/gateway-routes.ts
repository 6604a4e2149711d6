import { randomUUID } from 'node:crypto';
import { batchAnswerSchema, batchPendingAnswerSchema, errorResponseSchema } from '@shopfloor/contracts';
import {
  assertWithinLimit,
  type HttpRoutes,
  InflightLimit,
  keyScopeOf,
  type OutcomeTracker,
  publishThenAwait,
  rawJsonBodyOf,
  wantsAsyncAnswer,
} from '@shopfloor/http-kit';
import { type GatewayMetrics, noMetrics } from '@shopfloor/metrics';
import { z } from 'zod';
import { intakeBatch } from './batch-intake.ts';
import type { BatchPublisher } from './batch-publisher.ts';

export interface GatewayOptions {
  maxBatchEvents: number;
  syncTimeoutMs: number;
  /** Events waiting for Kafka's acknowledgement across all requests; past it, 503 OVERLOADED. */
  maxInflightEvents?: number | undefined;
  publisher: BatchPublisher;
  outcomes: OutcomeTracker;
  /** Where published events and rejections are reported (Prometheus). Default: nowhere. */
  metrics?: GatewayMetrics | undefined;
  now?: () => number;
}

const kindOf = (v: unknown) => (v === null ? 'null' : typeof v);

/** The body: a JSON array of anything; each event is validated on its own (a bad one is rejected, not the batch). */
const batchBodySchema = z.array(z.unknown(), {
  error: (issue) => `The request body must be a JSON array of events, got ${kindOf(issue.input)}.`,
});

const batchQuerySchema = z.object({
  mode: z.string().optional().describe('`async`: answer 202 as soon as the batch is durable in Kafka.'),
});

/**
 * POST /events/batch. Default: answers 200 with the final outcome once it is visible to queries;
 * past SHOPFLOOR_SYNC_TIMEOUT_MS it answers 202 with the batch id instead of hanging.
 * `?mode=async` or `Prefer: respond-async`: 202 as soon as the batch is durable in Kafka.
 */
export const gatewayRoutes: HttpRoutes<GatewayOptions> = async (app, options) => {
  const now = options.now ?? Date.now;
  const metrics = options.metrics ?? noMetrics.gateway;
  // Events are held until Kafka acknowledges them, as SHOPFLOOR_MAX_INFLIGHT_EVENTS documents (the
  // webhook's readings are held through the sync wait as well).
  const inflight = new InflightLimit(options.maxInflightEvents ?? Number.POSITIVE_INFINITY, (held) =>
    metrics.inflightEvents(held),
  );
  // Dead letters keep the exact text of each rejected element (see intakeBatch).

  app.post(
    '/events/batch',
    {
      config: { invalidBodyCode: 'BODY_NOT_ARRAY', access: 'write-events' },
      schema: {
        body: batchBodySchema,
        querystring: batchQuerySchema,
        response: {
          200: batchAnswerSchema,
          202: batchPendingAnswerSchema,
          400: errorResponseSchema,
          413: errorResponseSchema,
          503: errorResponseSchema,
        },
      },
    },
    async (request, reply) => {
      const body = request.body;
      assertWithinLimit(body.length, options.maxBatchEvents, 'events');
      const batch = intakeBatch(randomUUID(), body, now(), rawJsonBodyOf(request), keyScopeOf(request));
      const statusUrl = `/events/batch/${batch.batchId}`;
      const pending = () =>
        reply
          .status(202)
          .header('location', statusUrl)
          .send({
            batchId: batch.batchId,
            status: 'pending' as const,
            events: body.length,
            rejected: batch.rejected.length,
            statusUrl,
          });
      const rejections = batch.rejected.map((d) => ({ eventId: d.eventId, reason: d.reason }));
      if (body.length === 0) {
        return { accepted: 0, deduped: 0, updated: 0, rejected: 0, rejections: [], batchId: batch.batchId };
      }

      const async = wantsAsyncAnswer(request.query.mode, request.headers.prefer);
      // Shed load rather than buffer without bound when Kafka is slower than the machines: a
      // refused batch appends nothing and starts no wait.
      const release = inflight.take(body.length);
      const waiter = async ? undefined : options.outcomes.expect(batch.batchId, body.length);
      const publish = async () => {
        try {
          await options.publisher.publish(batch);
        } finally {
          release();
        }
        // Counted once durable: a batch answered 503 is retried by the machine and counted then.
        metrics.batchPublished({
          published: batch.raw.length,
          rejectionReasons: rejections.map((r) => r.reason),
        });
      };
      const outcome = await publishThenAwait(publish, waiter, options.syncTimeoutMs);
      if (outcome === null) return pending();
      // The gateway's own validation is the source of the rejection list, in batch order.
      return { ...outcome, rejected: rejections.length, rejections, batchId: batch.batchId };
    },
  );
};
