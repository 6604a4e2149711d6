export { kafkaTest, uniqueTopic } from './kafka-fixture.ts';
export type { KafkaFixtures } from './kafka-fixture.ts';
export {
  type ClickHouseFixtures,
  clickHouseTest,
  type EmbeddedClickHouse,
  startEmbeddedClickHouse,
  withEmbeddedClickHouse,
} from './clickhouse-fixture.ts';
