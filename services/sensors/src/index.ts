export { type AlertResolver, createAlertResolver } from './alert-resolution.ts';
export { ANONYMOUS, alertRoutes } from './alert-routes.ts';
export { type AlertVisibilityGate, createAlertVisibilityGate } from './alert-visibility-gate.ts';
export { createApplySensorGroupStep, SENSOR_TABLE_TOKEN_SUFFIX } from './apply-sensor-group-step.ts';
export { createDecodeSensorGroupStep, type DecodedSensorRecords } from './decode-sensor-group-step.ts';
export { type IdentityStores, lmdbIdentityStores } from './lmdb-identity-store.ts';
export { createProcessReadingsStep, type ProcessedReadings } from './process-readings-step.ts';
export { intakeReadings, type ReadingIntake, type ReadingRejection } from './reading-intake.ts';
export { kafkaReadingSink, publishReadings, type ReadingSink } from './reading-publisher.ts';
export { jsonSensorCodecs, registrySensorCodecs, type SensorCodecs } from './sensor-codecs.ts';
export type { SensorCounters } from './sensor-counters.ts';
export {
  type DecodedSensorGroup,
  projectSensorGroup,
  type SensorJobOutcome,
  type SensorProjection,
} from './sensor-projection.ts';
export {
  createSensorAlertProjector,
  createSensorProjector,
  type SensorProjector,
  type SensorProjectorOptions,
  sensorApplyGroupInto,
  sensorProjectionLanes,
  sensorRebuildStreams,
} from './sensor-projector.ts';
export { createSensorProjectors, type SensorGroup } from './sensor-projectors.ts';
export { type SensorRunner, type SensorRunnerOptions, startSensorRunner } from './sensor-runner.ts';
export {
  createSensorService,
  type SensorService,
  type SensorServiceConfig,
  type SensorServiceDeps,
} from './sensor-service.ts';
export { type SensorTopics, sensorTopicSpecsOf, sensorTopics } from './sensor-topics.ts';
export { type WebhookOptions, webhookRoutes } from './webhook-routes.ts';
