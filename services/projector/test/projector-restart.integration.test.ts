import { countEventWinners } from '@shopfloor/clickhouse';
import { createIdempotentProducer, ensureTopics, jsonCodecs, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { kafkaTest, startEmbeddedClickHouse, uniqueTopic } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createProjectorService } from '../src/projector-service.ts';

// Regression (found by the fault-injection harness, `pnpm chaos`): a projector restarted after a
// clean commit found its last recorded range in sink_offsets, waited for that range's records to be
// re-fetched to re-form it, but the group's committed offset was already past the range, so they
// never came: every partition stalled at the recorded range, forever.

const codecs = jsonCodecs();
const change = (i: number) => {
  const eventId = `E-${i}`;
  return {
    key: eventId,
    value: codecs.changes.encode({
      v: 1,
      batchId: `b-${i}`,
      seq: 0,
      batchSize: 1,
      eventId,
      decision: 'accepted',
      rows: [
        {
          sign: 1,
          eventId,
          eventTimeMs: Date.parse('2026-03-01T10:00:00Z') + i,
          machineId: 'M-1',
          lineId: 'L-1',
          factoryId: 'F-1',
          durationMs: 10,
          defectCount: 1,
          receivedAt: 1_000 + i,
          version: 1,
        },
      ],
    }),
  };
};

kafkaTest('a projector restarted after a clean commit goes on projecting new records', async ({ kafka }) => {
  const prefix = `${uniqueTopic('projector-restart')}.`;
  const topics = {
    raw: `${prefix}events.raw`,
    state: `${prefix}events.state`,
    changes: `${prefix}events.changes`,
    deadLetter: `${prefix}events.dlq`,
    outcomes: `${prefix}events.outcomes`,
    invalid: `${prefix}events.invalid`,
  };
  await ensureTopics(kafka, shopfloorTopicSpecs(topics, 1));
  const ch = await startEmbeddedClickHouse();
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const config = {
    topics,
    SHOPFLOOR_PROJECTOR_GROUP: `${prefix}projector`,
    SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: 6_000,
    SHOPFLOOR_BAD_RECORD_POLICY: 'dead-letter' as const,
  };
  const deps = { kafka, writer: ch.writer, codecs, log: pino({ level: 'silent' }) };
  try {
    const first = createProjectorService(config, deps);
    await first.start();
    await producer.send({ topic: topics.changes, messages: [0, 1, 2].map(change) });
    await expect.poll(() => countEventWinners(ch.reader), { timeout: 30_000 }).toBe(3);
    // Wait for the clean commit (it follows the insert), then stop.
    const admin = kafka.admin();
    await admin.connect();
    const committed = async () =>
      (await admin.fetchOffsets({ groupId: config.SHOPFLOOR_PROJECTOR_GROUP, topics: [topics.changes] }))[0]
        ?.partitions[0]?.offset;
    await expect.poll(committed, { timeout: 30_000 }).toBe('3');
    await admin.disconnect();
    await first.stop();

    // Restart: sink_offsets holds the last range, which was inserted and committed.
    const second = createProjectorService(config, deps);
    await second.start();
    await producer.send({ topic: topics.changes, messages: [3, 4].map(change) });
    await expect.poll(() => countEventWinners(ch.reader), { timeout: 30_000 }).toBe(5);
    await second.stop();
  } finally {
    await producer.disconnect();
    await ch.stop();
  }
});
