import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChangeRecord, InvalidRecord } from '@shopfloor/contracts';
import { inMemoryStateStores } from '@shopfloor/dedupe';
import {
  createIdempotentProducer,
  createTransactionalProducer,
  ensureTopics,
  jsonCodecs,
  type KafkaClient,
  loadMemberId,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { type ReadRecord, readUntil } from '@shopfloor/kafka/testing';
import { kafkaTest } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createDedupeService } from '../src/dedupe-service.ts';
import { dedupeTestConfig, rawEventRecord } from './dedupe-test-fixtures.ts';

// The dedupe service against the real broker, one partition: the two bad-record policies, and a
// fenced producer.
const codecs = jsonCodecs();
const raw = (eventId: string) => ({
  key: eventId,
  value: codecs.raw.encode(rawEventRecord(eventId)),
  partition: 0,
});
const garbage = { key: 'X', value: Buffer.from([0x7b, 0xff]), partition: 0 };

async function startService(kafka: KafkaClient, policy: 'dead-letter' | 'stop') {
  const config = dedupeTestConfig(`dedupe-${policy}`, 1, { SHOPFLOOR_BAD_RECORD_POLICY: policy });
  await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, 1));
  const stores = inMemoryStateStores();
  const memberIdDir = mkdtempSync(path.join(tmpdir(), 'dedupe-member-'));
  const runner = await createDedupeService(config, {
    kafka,
    codecs,
    stores,
    memberIdDir,
    log: pino({ level: 'silent' }),
  });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  return {
    config,
    runner,
    /** The member's one transactional id (KIP-447: one producer per member, stable per process). */
    transactionalId: `${config.SHOPFLOOR_DEDUPE_GROUP}.${config.topics.raw}.${loadMemberId(memberIdDir)}`,
    send: (messages: { key: string; value: Buffer; partition: number }[]) =>
      producer.send({ topic: config.topics.raw, messages }),
    async close() {
      await producer.disconnect();
      await runner.stop();
      await stores.close();
      rmSync(memberIdDir, { recursive: true, force: true });
    },
  };
}

/** The committed values of `topic`, read from the beginning until `count` arrived. */
async function readValues(kafka: KafkaClient, topic: string, count: number): Promise<Buffer[]> {
  const records = await readUntil(kafka, topic, (read) => read.length >= count, { timeoutMs: 30_000 });
  return records.map((r) => r.bytes!);
}

/**
 * The decisions on the change-batches topic, expanded from its batch records, read until `count`
 * arrived and then for `settleMs` more (to see that nothing else comes). Each record is decoded as
 * it arrives (the codec is async, `readUntil`'s condition is not: it sees the decodes done so far).
 */
async function readChanges(kafka: KafkaClient, topic: string, count: number, settleMs = 0) {
  const decoding = new Map<ReadRecord, Promise<readonly ChangeRecord[]>>();
  const decoded = new Map<ReadRecord, readonly ChangeRecord[]>();
  let failure: string | null = null;
  const decode = (record: ReadRecord) => {
    let changes = decoding.get(record);
    if (!changes) {
      changes = codecs.changes.decode(record.bytes!).then((batch) => {
        if (!batch.ok) {
          failure = batch.error;
          throw new Error(batch.error);
        }
        decoded.set(record, batch.value.changes);
        return batch.value.changes;
      });
      changes.catch(() => {}); // seen through `failure` by the condition, thrown again below
      decoding.set(record, changes);
    }
    return changes;
  };
  let reachedAt: number | null = null;
  const records = await readUntil(
    kafka,
    topic,
    (read) => {
      for (const record of read) void decode(record);
      if (failure !== null) throw new Error(failure);
      const arrived = [...decoded.values()].reduce((n, changes) => n + changes.length, 0);
      if (arrived < count) return false;
      reachedAt ??= Date.now();
      return Date.now() - reachedAt >= settleMs;
    },
    { timeoutMs: 30_000 + settleMs },
  );
  return (await Promise.all(records.map(decode))).flat();
}

kafkaTest(
  'dead-letter policy: an undecodable record is parked on events.invalid and the rest decided',
  async ({ kafka }) => {
    const service = await startService(kafka, 'dead-letter');
    try {
      await service.send([raw('E-1'), garbage, raw('E-2')]);
      await expect.poll(() => service.runner.counters.records, { timeout: 60_000 }).toBe(3);
      expect(service.runner.counters).toMatchObject({ accepted: 2, invalid: 1 });
      const [parked] = await readValues(kafka, service.config.topics.invalid, 1);
      const decoded = await codecs.invalid.decode(parked!);
      expect(decoded).toEqual({
        ok: true,
        value: {
          v: 1,
          topic: service.config.topics.raw,
          partition: 0,
          offset: '1',
          error: expect.stringContaining('UTF-8'),
          value: garbage.value,
        } satisfies InvalidRecord,
      });
      const changes = await readChanges(kafka, service.config.topics.changes, 2);
      expect(changes.map((c) => [c.eventId, c.decision])).toEqual([
        ['E-1', 'accepted'],
        ['E-2', 'accepted'],
      ]);
    } finally {
      await service.close();
    }
  },
);

kafkaTest(
  'stop policy: the consumer stops at an undecodable record and commits nothing past it',
  async ({ kafka }) => {
    const service = await startService(kafka, 'stop');
    try {
      await service.send([raw('E-1')]);
      await expect.poll(() => service.runner.counters.batches, { timeout: 60_000 }).toBe(1);
      await service.send([garbage, raw('E-2')]);
      const reason = await service.runner.stopped;
      expect(reason.message).toMatch(/^undecodable record at .*events\.raw partition 0 offset 1: /);
      expect(service.runner.counters).toMatchObject({ batches: 1, records: 1, accepted: 1 });
      const admin = kafka.admin();
      await admin.connect();
      const [offsets] = await admin.fetchOffsets({
        groupId: service.config.SHOPFLOOR_DEDUPE_GROUP,
        topics: [service.config.topics.raw],
      });
      await admin.disconnect();
      expect(offsets?.partitions[0]?.offset).toBe('1');
    } finally {
      await service.close();
    }
  },
);

kafkaTest(
  'a fenced producer: the partition is restored and its batch decided again, once',
  async ({ kafka }) => {
    const service = await startService(kafka, 'dead-letter');
    const { topics } = service.config;
    try {
      await service.send([raw('E-1')]);
      await expect.poll(() => service.runner.counters.batches, { timeout: 60_000 }).toBe(1);
      // Another producer takes the member's transactional id, as its restarted process would.
      const usurper = createTransactionalProducer(kafka, service.transactionalId);
      await usurper.connect();
      await (await usurper.transaction()).abort(); // its first transaction bumps the epoch
      await usurper.disconnect();
      await service.send([raw('E-2'), raw('E-1')]);
      await expect.poll(() => service.runner.counters.records, { timeout: 60_000 }).toBe(3);
      expect(service.runner.counters).toMatchObject({ accepted: 2, deduped: 1 });
      expect(service.runner.counters.restores.length).toBeGreaterThanOrEqual(2);
      const changes = await readChanges(kafka, topics.changes, 3, 1_000);
      expect(changes.map((c) => [c.eventId, c.decision])).toEqual([
        ['E-1', 'accepted'],
        ['E-2', 'accepted'],
        ['E-1', 'deduped'],
      ]);
    } finally {
      await service.close();
    }
  },
);
