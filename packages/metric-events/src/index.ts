export {
  decideMetricBatch,
  type MetricBatchDecision,
  type MetricDecision,
  type MetricStateWrite,
  payloadOf,
} from './metric-dedupe.ts';
export {
  MAX_AMOUNT,
  MAX_TIMESTAMP_MS,
  METRIC_FAILURE_REASONS,
  type MetricEvent,
  type MetricFailureReason,
  type MetricRejectionReason,
  MIN_AMOUNT,
  MIN_TIMESTAMP_MS,
} from './metric-event.ts';
export {
  canonicalIdentityText,
  canonicalTimestamp,
  isMetricEventId,
  metricEventId,
} from './metric-event-identity.ts';
export {
  type AcceptedMetricEvent,
  type MetricEventValidation,
  type ValidationOptions,
  validateMetricEvent,
} from './metric-event-validation.ts';
export {
  decodeFailedMetricEventRecord,
  decodeMetricStateRecord,
  decodeProcessedMetricEventRecord,
  decodeRawMetricEventRecord,
  type FailedMetricEventRecord,
  failedMetricEventRecordSchema,
  METRIC_WIRE_VERSION,
  type MetricStateRecord,
  metricStateRecordSchema,
  type ProcessedMetricEventRecord,
  processedMetricEventRecordSchema,
  type RawMetricEventRecord,
  rawMetricEventRecordSchema,
} from './metric-wire.ts';
