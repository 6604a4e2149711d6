export { createProcessReadingsStep, type ProcessedReadings } from './process-readings-step.ts';
export { intakeReadings, type ReadingIntake, type ReadingRejection } from './reading-intake.ts';
export { publishReadings } from './reading-publisher.ts';
export { jsonSensorCodecs, type SensorCodecs } from './sensor-codecs.ts';
export type { SensorCounters } from './sensor-counters.ts';
export { type SensorRunner, type SensorRunnerOptions, startSensorRunner } from './sensor-runner.ts';
export { type SensorTopics, sensorTopicSpecs, sensorTopics } from './sensor-topics.ts';
