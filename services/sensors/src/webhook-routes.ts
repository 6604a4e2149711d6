import { randomUUID } from 'node:crypto';
import { type ClickHouseReader, queryRecordedSensorBatch } from '@shopfloor/clickhouse';
import { errorResponseSchema } from '@shopfloor/contracts';
import type { OutcomeTracker } from '@shopfloor/http-kit';
import {
  assertWithinLimit,
  HttpError,
  type HttpRoutes,
  InflightLimit,
  publishThenAwait,
  wantsAsyncAnswer,
} from '@shopfloor/http-kit';
import {
  sensorDataAnswerSchema,
  sensorDataBodySchema,
  sensorDataPendingAnswerSchema,
  sensorDataQuerySchema,
  sensorJobParamsSchema,
  sensorJobStatusSchema,
} from '@shopfloor/sensors';
import { intakeReadings } from './reading-intake.ts';
import type { ReadingSink } from './reading-publisher.ts';

export interface WebhookOptions {
  maxReadings: number;
  syncTimeoutMs: number;
  /** Readings held (until acknowledged, and in sync mode until decided); past it, 503 OVERLOADED. */
  maxInflightReadings?: number | undefined;
  sink: ReadingSink;
  /** The seen-identity state horizon: older readings are rejected (STALE_TIMESTAMP). */
  stateHorizonMs?: number | undefined;
  /** The events gateway's tracker: the sensor projector feeds it the jobs' decisions. */
  outcomes: OutcomeTracker;
  reader: ClickHouseReader;
  now?: () => number;
}

const errors = {
  400: errorResponseSchema,
  404: errorResponseSchema,
  413: errorResponseSchema,
  503: errorResponseSchema,
};

/**
 * `POST /api/webhook/sensor-data` and `GET /api/webhook/status/:jobId`, answering like
 * `POST /events/batch`: by default 200 once every accepted reading is processed and visible to
 * queries (202 with the job id past SHOPFLOOR_SYNC_TIMEOUT_MS); `?mode=async` or
 * `Prefer: respond-async`: 202 as soon as the readings are durable in Kafka.
 */
export const webhookRoutes: HttpRoutes<WebhookOptions> = async (app, options) => {
  const now = options.now ?? Date.now;
  const inflight = new InflightLimit(options.maxInflightReadings ?? Number.POSITIVE_INFINITY);

  app.post(
    '/api/webhook/sensor-data',
    {
      config: { access: 'write-events' },
      schema: {
        body: sensorDataBodySchema,
        querystring: sensorDataQuerySchema,
        response: { 200: sensorDataAnswerSchema, 202: sensorDataPendingAnswerSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { readings } = request.body;
      assertWithinLimit(readings.length, options.maxReadings, 'readings', 'request');
      const intake = intakeReadings(readings, now(), randomUUID(), options.stateHorizonMs);
      const jobId = intake.batchId;
      const rejections = intake.rejections.map(({ index, readingId, reason }) => ({
        index,
        readingId,
        reason,
      }));
      const statusUrl = `/api/webhook/status/${jobId}`;
      const pending = () =>
        reply
          .status(202)
          .header('location', statusUrl)
          .send({
            jobId,
            status: 'pending' as const,
            readings: readings.length,
            rejected: rejections.length,
            statusUrl,
          });
      const answer = (accepted: number, deduped: number) => ({
        jobId,
        readings: readings.length,
        accepted,
        deduped,
        rejected: rejections.length,
        rejections,
      });
      const async = wantsAsyncAnswer(request.query.mode, request.headers.prefer);
      // Only accepted readings get a decision from the processor; rejections are the intake's own.
      const waits = !async && intake.raw.length > 0;
      // Shed load rather than hold readings without bound when the pipeline cannot keep up: a
      // request past the bound is refused before anything of it is appended or awaited.
      const outcome = await inflight.hold(readings.length, () =>
        publishThenAwait(
          () => options.sink.publish(intake),
          waits ? options.outcomes.expect(jobId, intake.raw.length) : undefined,
          options.syncTimeoutMs,
        ),
      );
      if (async) return pending();
      if (!waits) return answer(0, 0);
      if (outcome === null) return pending();
      return answer(outcome.accepted, outcome.deduped + outcome.updated);
    },
  );

  app.get(
    '/api/webhook/status/:jobId',
    {
      config: { access: 'read-stats' },
      schema: { params: sensorJobParamsSchema, response: { 200: sensorJobStatusSchema, ...errors } },
    },
    async (request) => {
      const { jobId } = request.params;
      const recorded = await queryRecordedSensorBatch(options.reader, jobId).catch((err: Error) => {
        throw new HttpError(
          'CLICKHOUSE_UNAVAILABLE',
          `The statistics store is unavailable (${err.message}).`,
        );
      });
      return {
        jobId,
        status:
          recorded.batchSize !== null && recorded.recorded >= recorded.batchSize ? 'complete' : 'pending',
        readings: recorded.batchSize,
        recorded: recorded.recorded,
        accepted: recorded.accepted,
        deduped: recorded.deduped,
        rejected: recorded.rejected,
        rejections: recorded.rejections.map((r) => ({
          index: r.seq,
          readingId: r.readingId,
          reason: r.reason,
        })),
      } as const;
    },
  );
};
