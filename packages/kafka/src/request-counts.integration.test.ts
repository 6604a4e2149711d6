import { expect, it } from 'vitest';
import { kafkaRequestCounts } from './request-counts.ts';
import { produceRecords, readUntil, testKafka, uniqueName } from './testing.ts';
import { ensureTopics } from './topics.ts';

const count = (
  counts: ReturnType<typeof kafkaRequestCounts>,
  client: string,
  api: string,
): { requests: number; seconds: number } =>
  counts.find((c) => c.client === client && c.api === api) ?? { requests: 0, seconds: 0 };

it("counts each client kind's answered requests by API, with their durations (Kafka 3.9)", async () => {
  const kafka = testKafka();
  expect(kafkaRequestCounts(kafka)).toEqual([]); // nothing sent yet
  const topic = uniqueName('counted');
  await ensureTopics(kafka, [{ topic, partitions: 1 }]);
  await produceRecords(kafka, topic, [{ value: 'a' }, { value: 'b' }]);
  await produceRecords(kafka, topic, [{ value: 'c' }]);
  await readUntil(kafka, topic, (records) => records.length === 3);

  const counts = kafkaRequestCounts(kafka);
  // Two producers, one send each: one Produce request each (one partition, one broker).
  expect(count(counts, 'producer', 'Produce').requests).toBe(2);
  expect(count(counts, 'admin', 'CreateTopics').requests).toBe(1);
  expect(count(counts, 'consumer', 'Fetch').requests).toBeGreaterThanOrEqual(1);
  expect(count(counts, 'consumer', 'JoinGroup').requests).toBeGreaterThanOrEqual(1);
  for (const c of counts) {
    expect(['producer', 'consumer', 'admin']).toContain(c.client);
    expect(c.requests).toBeGreaterThan(0);
    expect(c.seconds).toBeGreaterThanOrEqual(0);
    expect(c.seconds).toBeLessThan(c.requests * 30); // no request waits past the 30 s request timeout
  }
  // A read is a copy: counting goes on in the client, not in what was handed out.
  const before = count(counts, 'producer', 'Produce').requests;
  await produceRecords(kafka, topic, [{ value: 'd' }]);
  expect(count(counts, 'producer', 'Produce').requests).toBe(before);
  expect(count(kafkaRequestCounts(kafka), 'producer', 'Produce').requests).toBe(before + 1);
});
