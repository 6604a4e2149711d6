export {
  type AllInOne,
  processesOf,
  processGone,
  REPO_ROOT,
  type SpawnAllInOneOptions,
  type SystemLogLine,
  spawnAllInOne,
  trackedAllInOnes,
  waitForLogLine,
  waitUntilUp,
} from './all-in-one.ts';
export {
  type ClickHouseFixtures,
  clickHouseTest,
  type EmbeddedClickHouse,
  startEmbeddedClickHouse,
  withEmbeddedClickHouse,
} from './clickhouse-fixture.ts';
export type { KafkaFixtures } from './kafka-fixture.ts';
export { kafkaTest, uniqueTopic } from './kafka-fixture.ts';
export { type PostedReading, sensorReadingsOf } from './sensor-readings.ts';
export {
  freePort,
  type LogPredicate,
  type ServiceLogLine,
  type ServiceName,
  type ServiceProcess,
  type SpawnServiceOptions,
  spawnService,
  stopAllServices,
} from './service-process.ts';
export { suiteStreamEnv } from './suite-env.ts';
export { systemEnvUnder } from './system-env.ts';
