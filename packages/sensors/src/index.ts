export {
  type AlertRecord,
  type AlertResolutionRecord,
  EQUIPMENT_STATUSES,
  type EquipmentStatus,
  equipmentStatus,
  SENSOR_WIRE_VERSION,
} from './alert.ts';
export { alertAnswer, type StoredAlert } from './alert-answer.ts';
export {
  type Assessment,
  assessValue,
  CRITICAL_SIGMA,
  DEFAULT_DETECTOR_CONFIG,
  type DetectorConfig,
  detectorConfigProblem,
  MEDIUM_SIGMA,
  observe,
  SEVERITIES,
  type Severity,
  severityOf,
} from './anomaly-detector.ts';
export {
  DEFAULT_UNITS,
  isSensorType,
  MAX_UNIT_CODE_POINTS,
  SENSOR_TYPES,
  type SensorReading,
  type SensorType,
} from './reading.ts';
export { alertIdFor, readingKey, seriesKey } from './reading-identity.ts';
export {
  READING_REJECTION_REASON_CODES,
  READING_REJECTION_REASONS,
  type ReadingRejectionReason,
  type ReadingValidation,
  validateReading,
} from './reading-validation.ts';
export {
  RollingWindow,
  SLOTS_PER_RECORD,
  WindowAssembly,
  type WindowSlots,
  type WindowSnapshot,
  type WindowStats,
} from './rolling-window.ts';
export {
  MAX_SWEPT_PER_BATCH,
  pastHorizon,
  SeenIdentities,
  type StateHorizon,
  type SweepChanges,
} from './seen-identities.ts';
export {
  alertHistoryResponseSchema,
  alertResolutionSchema,
  type EquipmentStatusResponse,
  type EquipmentSummary,
  equipmentStatusResponseSchema,
  equipmentSummarySchema,
  latestSensorReadingSchema,
  type OpenAlertCounts,
  type ProductionMetricsResponse,
  productionMetricsResponseSchema,
  SENSOR_HISTORY_BUCKET_NAMES,
  SENSOR_HISTORY_BUCKETS,
  type SensorAlertAnswer,
  type SensorHistoryBucketName,
  sensorAlertSchema,
  sensorHistoryResponseSchema,
  sensorTypesResponseSchema,
} from './sensor-api.ts';
export {
  type AlertResolutionAnswer,
  alertParamsSchema,
  alertResolutionAnswerSchema,
  resolveAlertBodySchema,
  type SensorDataAnswer,
  type SensorJobStatus,
  sensorDataAnswerSchema,
  sensorDataBodySchema,
  sensorDataPendingAnswerSchema,
  sensorDataQuerySchema,
  sensorJobParamsSchema,
  sensorJobStatusSchema,
} from './sensor-http.ts';
export {
  type ReadingOutcome,
  SensorProcessor,
  type SensorStateChange,
  type SensorStateRecord,
} from './sensor-processor.ts';
export {
  alertRecordSchema,
  alertResolutionRecordSchema,
  decodeAlertRecord,
  decodeAlertResolutionRecord,
  decodeProcessedReadingRecord,
  decodeRawReadingRecord,
  decodeSensorDeadLetterRecord,
  decodeSensorStateRecord,
  PROCESSED_ASSESSMENTS,
  type ProcessedAssessment,
  type ProcessedReadingRecord,
  processedReadingRecordSchema,
  type RawReadingRecord,
  rawReadingRecordSchema,
  type SensorDeadLetterRecord,
  sensorDeadLetterRecordSchema,
  sensorReadingSchema,
  sensorStateRecordSchema,
} from './sensor-wire.ts';
