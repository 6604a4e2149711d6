export {
  AVRO_SCHEMA_FILES,
  type AvroRecordKind,
  avroSchemaPath,
  loadAvroSchema,
  loadMetricAvroSchema,
  loadSensorAvroSchema,
  METRIC_AVRO_SCHEMA_FILES,
  type MetricAvroRecordKind,
  SENSOR_AVRO_SCHEMA_FILES,
  type SensorAvroRecordKind,
} from './avro-schemas.ts';
export {
  addDecision,
  addRejection,
  BATCH_ITEM_KINDS,
  type BatchItemDecision,
  type BatchItemKind,
  type BatchOutcome,
  type BatchRejection,
  batchOutcomeSchema,
  emptyOutcome,
  SENSOR_BATCH_DECISIONS,
  type SensorBatchDecision,
  summarizeBatch,
} from './batch.ts';
export {
  type BatchAnswer,
  type BatchPendingAnswer,
  type BatchStatusResponse,
  batchAnswerSchema,
  batchPendingAnswerSchema,
  batchStatus,
  batchStatusResponseSchema,
  type RecordedBatch,
} from './batch-responses.ts';
export {
  type DeadLetterResponse,
  deadLetterResponseSchema,
  type ErrorResponse,
  errorResponseSchema,
} from './dead-letters.ts';
export {
  type CountedAs,
  compareVersions,
  countedAs,
  DECISION_KINDS,
  type Decision,
  type DecisionKind,
  decide,
  stateToStore,
  type WinnerState,
  winnerAfter,
  winnerFromEvent,
} from './dedupe-decision.ts';
export {
  codePointLength,
  EVENT_FIELDS,
  type EventField,
  eventTimeSchema,
  ID_FIELDS,
  type IdField,
  idProblem,
  idSchema,
  isValidId,
  MAX_DURATION_MS,
  MAX_FUTURE_SKEW_MS,
  MAX_ID_CODE_POINTS,
  type MachineEvent,
  MIN_EVENT_TIME_MS,
  machineEventSchema,
  parseEventTime,
  type ReceivedEvent,
  type ReceivedEventDraft,
  toReceivedEvent,
  UNKNOWN_DEFECT_COUNT,
} from './event.ts';
export { type IdentityPayload, payloadKey, payloadOf, samePayload } from './identity.ts';
export { formatInstant, parseInstantDetailed } from './instant.ts';
export { jsonArrayElementTexts } from './json-array-elements.ts';
export { KEY_ROLES, type KeyChangeRecord, type KeyRole } from './key-change-record.ts';
export {
  REJECTION_REASON_CODES,
  REJECTION_REASONS,
  type RejectionReason,
  rejectionReasonSchema,
  rejectionReasonsMarkdown,
} from './rejection-reasons.ts';
export { settleWithin } from './settle-within.ts';
export {
  avgDefectRate,
  defectContribution,
  defectsPercent,
  MACHINE_HEALTH,
  type MachineHealth,
  type MachineStatsResponse,
  machineHealth,
  machineStats,
  machineStatsResponseSchema,
  sortTopDefectLines,
  type TopDefectLine,
  topDefectLine,
  topDefectLineSchema,
  WARNING_DEFECT_RATE,
} from './stats.ts';
export { dlq, drop, ok, type StepResult } from './step-result.ts';
export { type ShopfloorTopics, shopfloorTopics, topicsUnder } from './topics.ts';
export {
  describeValue,
  type ValidationFailure,
  type ValidationResult,
  type ValidationSuccess,
  validateEvent,
} from './validation.ts';
export {
  ceilTo,
  floorTo,
  inWindow,
  MS_PER_HOUR,
  parseInstant,
  type Range,
  splitWindow,
  type TimeWindow,
  type WindowSplit,
  windowHours,
} from './window.ts';
// Payloads of the Kafka topics, as JSON values, one file per record: `wire-raw-event.ts`
// (events.raw), `wire-dead-letter.ts` (events.dlq), `wire-state.ts` (events.state),
// `wire-change.ts` (events.change-batches: a ChangeBatchRecord of ChangeRecords), `wire-outcome.ts` (events.outcomes), `wire-invalid.ts`
// (events.invalid); what they share (version, batch position, decoder) is `wire-common.ts`.
export {
  type ChangeBatchRecord,
  type ChangeRecord,
  type ChangeRow,
  changeBatchRecordSchema,
  changeRecordFor,
  changeRecordSchema,
  changeRowSchema,
  changeRowsFor,
  decodeChangeBatchRecord,
  decodeChangeRecord,
} from './wire-change.ts';
export { type BatchPosition, type DecodeResult, WIRE_VERSION } from './wire-common.ts';
export {
  type DeadLetterRecord,
  deadLetterRecordFor,
  deadLetterRecordSchema,
  decodeDeadLetterRecord,
} from './wire-dead-letter.ts';
export type { InvalidRecord } from './wire-invalid.ts';
export {
  decodeOutcomeRecord,
  type OutcomeDecision,
  type OutcomeRecord,
  outcomeRecordSchema,
} from './wire-outcome.ts';
export {
  decodeRawEventRecord,
  type RawEventRecord,
  rawEventRecordFor,
  rawEventRecordSchema,
  receivedEventOf,
} from './wire-raw-event.ts';
export {
  decodeStateRecord,
  type StateRecord,
  stateRecordFor,
  stateRecordSchema,
  winnerOf,
} from './wire-state.ts';
