import { z } from 'zod';

// The HTTP shapes of the sensor stream's write side: the webhook (`POST /api/webhook/sensor-data`),
// its job status and the alert resolution. The routes attach these schemas, so the OpenAPI document
// comes from them too.

/** The body: `readings` is an array of anything; each reading is validated on its own. */
export const sensorDataBodySchema = z.object({
  readings: z
    .array(z.unknown())
    .describe('Readings: {readingId?, equipmentId, sensorType, value, unit?, timestamp}'),
});

export const sensorDataQuerySchema = z.object({
  mode: z.string().optional().describe('`async`: answer 202 as soon as the readings are durable in Kafka.'),
});

const readingRejectionSchema = z.object({
  index: z.int().min(0).describe('Position of the reading in `readings`.'),
  readingId: z.string().nullable(),
  reason: z.string().describe('Stable reason code (see the sensors README).'),
});

/** 200: the final outcome, once every accepted reading is processed and visible to queries. */
export const sensorDataAnswerSchema = z.object({
  jobId: z.string(),
  readings: z.int().min(0),
  accepted: z.int().min(0),
  deduped: z.int().min(0),
  rejected: z.int().min(0),
  rejections: z.array(readingRejectionSchema),
});
export type SensorDataAnswer = z.output<typeof sensorDataAnswerSchema>;

/** 202: durable in Kafka; the outcome is at `statusUrl`. */
export const sensorDataPendingAnswerSchema = z.object({
  jobId: z.string(),
  status: z.literal('pending'),
  readings: z.int().min(0),
  rejected: z.int().min(0),
  statusUrl: z.string(),
});

export const sensorJobParamsSchema = z.object({ jobId: z.string().min(1).max(128) });

/** `GET /api/webhook/status/:jobId`: complete once every reading of the job has an outcome. */
export const sensorJobStatusSchema = z.object({
  jobId: z.string(),
  status: z.enum(['complete', 'pending']),
  readings: z.int().min(1).nullable().describe('null while nothing of the job is recorded.'),
  recorded: z.int().min(0),
  accepted: z.int().min(0),
  deduped: z.int().min(0),
  rejected: z.int().min(0),
  rejections: z.array(readingRejectionSchema),
});
export type SensorJobStatus = z.output<typeof sensorJobStatusSchema>;

export const alertParamsSchema = z.object({ id: z.string().min(1).max(128) });

/** The body is optional (fastify hands a missing body over as null). */
export const resolveAlertBodySchema = z
  .object({ note: z.string().max(2000).nullable().optional().describe('Why or how it was resolved.') })
  .nullish();

/** `PATCH /api/alerts/:id/resolve`: the alert's (first) resolution. */
export const alertResolutionAnswerSchema = z.object({
  alertId: z.string(),
  status: z.literal('RESOLVED'),
  resolvedBy: z.string(),
  note: z.string().nullable(),
  resolvedAt: z.string().describe('ISO-8601 instant.'),
});
export type AlertResolutionAnswer = z.output<typeof alertResolutionAnswerSchema>;
