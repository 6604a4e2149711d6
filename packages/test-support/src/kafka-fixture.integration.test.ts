import { ensureTopics } from '@shopfloor/kafka';
import { expect } from 'vitest';
import { kafkaTest, uniqueTopic } from './kafka-fixture.ts';

kafkaTest('gives each test a client for the run-wide broker', async ({ kafka, brokers }) => {
  expect(brokers.length).toBeGreaterThan(0);
  const topic = uniqueTopic('fixture');
  expect(topic).not.toBe(uniqueTopic('fixture'));
  await ensureTopics(kafka, [{ topic, partitions: 1 }]);

  const producer = kafka.producer();
  const consumer = kafka.consumer({ groupId: uniqueTopic('fixture-group'), maxWaitTimeInMs: 100 });
  try {
    await producer.connect();
    await producer.send({ topic, messages: [{ key: 'k', value: 'hello' }] });
    const received: string[] = [];
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ eachMessage: async ({ message }) => void received.push(String(message.value)) });
    await expect.poll(() => received, { timeout: 20_000 }).toEqual(['hello']);
  } finally {
    await consumer.disconnect();
    await producer.disconnect();
  }
});
