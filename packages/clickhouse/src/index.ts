export {
  BATCH_EVENTS_TABLE,
  type BatchEventRow,
  batchEventColumns,
  batchEventRowSchema,
  insertBatchEvents,
  queryRecordedBatch,
} from './batch-events.ts';
export {
  type ClickHouseConfig,
  type ClickHouseHandle,
  type ClickHouseMode,
  type ClickHouseReader,
  type ClickHouseWriter,
  type InsertFormat,
  type InsertRequest,
  openClickHouse,
  openEmbeddedReader,
  type PingResult,
  type Row,
  type StatementOptions,
} from './client.ts';
export type { ClientWindowPageQuery } from './client-window-page.ts';
export {
  type MachineWindowCounts,
  OUTCOME_BUCKET_MS,
  type OutcomeBucket,
  type OutcomeCount,
  queryFactoryIds,
  queryMachinesStats,
  queryOutcomeBuckets,
  queryOutcomeTotals,
  type TimeRange,
} from './dashboard-queries.ts';
export {
  type DedupLogRecord,
  type DedupLogRepair,
  repairDedupLogs,
  reportDedupRepairs,
} from './dedup-log-repair.ts';
export { ClickHouseAdapterError, type ClickHouseErrorCode, clickHouseErrorCodes } from './errors.ts';
export {
  EVENT_CHANGES_TABLE,
  type EventChangeRow,
  eventChangeColumns,
  type InsertEventChangesOptions,
  insertEventChanges,
} from './event-changes.ts';
export {
  countEventWinners,
  EVENTS_TABLE,
  type EventWinner,
  eventWinnerSchema,
  queryEventWinner,
  queryEventWinners,
} from './events.ts';
export { queryMachineFactories } from './machine-factories.ts';
export {
  insertMetricEvents,
  type ListedMetricEvent,
  METRIC_EVENTS_TABLE,
  type MetricEventCursor,
  type MetricEventRow,
  type MetricEventsPageQuery,
  type MetricTotals,
  metricEventColumns,
  metricEventRowSchema,
  queryMetricEventsPage,
  queryMetricTotals,
} from './metric-events.ts';
export {
  insertMetricFailedEvents,
  METRIC_FAILED_EVENTS_TABLE,
  type MetricFailedCursor,
  type MetricFailedEventRow,
  metricFailedEventColumns,
  metricFailedEventRowSchema,
  queryMetricFailedPage,
} from './metric-failed-events.ts';
export {
  defaultMigrationsDir,
  loadMigrations,
  type MigrateResult,
  type Migration,
  migrate,
} from './migrate.ts';
export { paramLockBuffer, withParamLock } from './param-lock.ts';
export {
  currentDatabase,
  inDatabase,
  PROJECTOR_ROOT_TABLES,
  type ProjectionSchema,
  readProjectionSchema,
  type SchemaObject,
  viewEnds,
  writerIntoDatabase,
} from './projection-schema.ts';
export {
  createRebuildDatabase,
  rebuildDatabaseOf,
  recoverProjectionSwitch,
  switchToRebuiltTables,
} from './projection-switch.ts';
export {
  insertRejectedEvents,
  queryRejectedEvents,
  REJECTED_EVENTS_TABLE,
  type RejectedEventRow,
  rejectedEventColumns,
  rejectedEventRowSchema,
} from './rejected-events.ts';
export { querySensorAlertResolution, type SensorAlertResolutionLookup } from './sensor-alert-lookup.ts';
export {
  type OpenAlertSeverityRow,
  queryOpenAlertSeverities,
  querySensorAlertPage,
  type SensorAlertPageQuery,
  type SensorAlertPageRow,
  type SensorAlertPosition,
} from './sensor-alert-queries.ts';
export {
  insertSensorAlertResolutions,
  insertSensorAlerts,
  querySensorAlerts,
  type SensorAlertResolutionRow,
  type SensorAlertRow,
  type SensorAlertView,
} from './sensor-alerts.ts';
export {
  insertSensorBatchReadings,
  queryRecordedSensorBatch,
  type RecordedSensorBatch,
  SENSOR_BATCH_READINGS_TABLE,
  type SensorBatchReadingRow,
} from './sensor-batch-readings.ts';
export {
  querySensorProductionByEquipment,
  querySensorProductionHours,
  type SensorProductionEquipment,
  type SensorProductionHour,
} from './sensor-production.ts';
export {
  insertSensorReadings,
  querySensorHistory,
  type SensorHistoryBucket,
  type SensorReadingRow,
} from './sensor-readings.ts';
export {
  querySensorSeries,
  querySensorTypeTotals,
  type SensorSeriesRow,
  type SensorTypeTotals,
} from './sensor-series.ts';
export {
  readAllSinkOffsets,
  readSinkOffsets,
  SINK_OFFSETS_TABLE,
  type SinkOffsetRow,
  sinkOffsetColumns,
  sinkOffsetRowSchema,
  writeSinkOffsets,
} from './sink-offsets.ts';
export {
  type MachineStatsQuery,
  type MachineStatsResult,
  queryMachineStats,
  queryTopDefectLines,
  type TopDefectLineCounts,
  type TopDefectLinesQuery,
} from './stats-queries.ts';
export { toDateTime64 } from './time.ts';
