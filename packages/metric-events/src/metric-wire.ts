import type { DecodeResult } from '@shopfloor/contracts';
import { z } from 'zod';
import { METRIC_FAILURE_REASONS, type MetricFailureReason } from './metric-event.ts';

/** Version of every record of this stream (bumped only with a new .avsc version). */
export const METRIC_WIRE_VERSION = 1;

/** Where a record sits in the HTTP request it came from: the waiter of that request is keyed by it. */
const position = { requestId: z.string().min(1), seq: z.int().min(0) };
const event = {
  id: z.string().regex(/^[0-9a-f]{64}$/),
  clientId: z.string().min(1),
  source: z.string().nullable(),
  metric: z.string().min(1),
  amount: z.int(),
  timestampMs: z.int(),
};

/** metric.events.raw (key id): an event as received, before the processor decided on it. */
export const rawMetricEventRecordSchema = z.object({
  v: z.literal(METRIC_WIRE_VERSION),
  ...position,
  receivedAt: z.int(),
  ...event,
  simulateFailure: z.boolean(),
});
export type RawMetricEventRecord = z.infer<typeof rawMetricEventRecordSchema>;

/** metric.events.state (compacted, key id): the identity was processed (counted) by this request. */
export const metricStateRecordSchema = z.object({
  v: z.literal(METRIC_WIRE_VERSION),
  requestId: z.string().min(1),
  receivedAt: z.int(),
});
export type MetricStateRecord = z.infer<typeof metricStateRecordSchema>;

/**
 * metric.events.processed (key id): the processor's decision on a raw record that did not fail.
 * `duplicate: false` is the one record per identity that is counted; `duplicate: true` answers the
 * request that sent it again (the projection does not count it). `processedBy` is the request that
 * counted it.
 */
export const processedMetricEventRecordSchema = z.object({
  v: z.literal(METRIC_WIRE_VERSION),
  ...position,
  receivedAt: z.int(),
  ...event,
  duplicate: z.boolean(),
  processedBy: z.string().min(1),
});
export type ProcessedMetricEventRecord = z.infer<typeof processedMetricEventRecordSchema>;

const reasons = Object.keys(METRIC_FAILURE_REASONS) as [MetricFailureReason, ...MetricFailureReason[]];

/**
 * metric.events.failed (key id, or client_id when there is no id): an event rejected at the edge
 * (validation), failed in processing (SIMULATED_FAILURE) or a raw record nobody could decode. Never
 * counted. `payloadJson` is the element as the client sent it.
 */
export const failedMetricEventRecordSchema = z.object({
  v: z.literal(METRIC_WIRE_VERSION),
  ...position,
  receivedAt: z.int(),
  id: z.string().nullable(),
  clientId: z.string().nullable(),
  reason: z.enum(reasons),
  message: z.string(),
  payloadJson: z.string(),
});
export type FailedMetricEventRecord = z.infer<typeof failedMetricEventRecordSchema>;

function decoder<T>(schema: z.ZodType<T>): (input: unknown) => DecodeResult<T> {
  return (input) => {
    const r = schema.safeParse(input);
    return r.success
      ? { ok: true, value: r.data }
      : { ok: false, error: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
  };
}

export const decodeRawMetricEventRecord = decoder(rawMetricEventRecordSchema);
export const decodeMetricStateRecord = decoder(metricStateRecordSchema);
export const decodeProcessedMetricEventRecord = decoder(processedMetricEventRecordSchema);
export const decodeFailedMetricEventRecord = decoder(failedMetricEventRecordSchema);
