import { randomUUID } from 'node:crypto';
import { HttpError } from '@shopfloor/http-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { intakeBatch } from './batch-intake.ts';
import type { BatchPublisher } from './batch-publisher.ts';
import type { OutcomeTracker } from './outcome-tracker.ts';

export interface GatewayOptions {
  maxBatchEvents: number;
  syncTimeoutMs: number;
  /** Events waiting for Kafka's acknowledgement across all requests; past it, 503 OVERLOADED. */
  maxInflightEvents?: number;
  publisher: BatchPublisher;
  outcomes: OutcomeTracker;
  now?: () => number;
}

function wantsAsync(request: FastifyRequest): boolean {
  const mode = (request.query as Record<string, unknown> | undefined)?.mode;
  const prefer = request.headers.prefer;
  return mode === 'async' || (typeof prefer === 'string' && /\brespond-async\b/i.test(prefer));
}

/**
 * POST /events/batch. Default: answers 200 with the final outcome once it is visible to queries;
 * past SHOPFLOOR_SYNC_TIMEOUT_MS it answers 202 with the batch id instead of hanging.
 * `?mode=async` or `Prefer: respond-async`: 202 as soon as the batch is durable in Kafka.
 */
export async function gatewayRoutes(app: FastifyInstance, options: GatewayOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const maxInflight = options.maxInflightEvents ?? Number.POSITIVE_INFINITY;
  let inflight = 0;

  app.post('/events/batch', async (request, reply) => {
    const body = request.body;
    if (!Array.isArray(body)) {
      throw new HttpError(
        'BODY_NOT_ARRAY',
        `The request body must be a JSON array of events, got ${body === null ? 'null' : typeof body}.`,
      );
    }
    if (body.length > options.maxBatchEvents) {
      throw new HttpError(
        'TOO_MANY_EVENTS',
        `A batch holds at most ${options.maxBatchEvents} events; this one has ${body.length}.`,
      );
    }
    const batch = intakeBatch(randomUUID(), body, now());
    const statusUrl = `/events/batch/${batch.batchId}`;
    const pendingAnswer = () => ({
      batchId: batch.batchId,
      status: 'pending',
      events: body.length,
      rejected: batch.rejected.length,
      statusUrl,
    });

    const rejections = batch.rejected.map((d) => ({ eventId: d.eventId, reason: d.reason }));
    if (body.length === 0) {
      return { accepted: 0, deduped: 0, updated: 0, rejected: 0, rejections: [], batchId: batch.batchId };
    }

    const async = wantsAsync(request);
    // Shed load rather than buffer without bound when Kafka is slower than the machines.
    if (inflight > 0 && inflight + body.length > maxInflight) {
      throw new HttpError('OVERLOADED', undefined, 1);
    }
    const waiter = async ? undefined : options.outcomes.expect(batch.batchId, body.length);
    inflight += body.length;
    try {
      await options.publisher.publish(batch);
    } catch (err) {
      waiter?.cancel();
      throw err;
    } finally {
      inflight -= body.length;
    }
    if (!waiter) return reply.status(202).header('location', statusUrl).send(pendingAnswer());

    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      waiter.outcome,
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), options.syncTimeoutMs);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === null) {
      waiter.cancel();
      return reply.status(202).header('location', statusUrl).send(pendingAnswer());
    }
    // The gateway's own validation is the source of the rejection list, in batch order.
    return { ...outcome, rejected: rejections.length, rejections, batchId: batch.batchId };
  });
}
