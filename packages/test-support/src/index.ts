export { kafkaTest, uniqueTopic } from './kafka-fixture.ts';
export type { KafkaFixtures } from './kafka-fixture.ts';
