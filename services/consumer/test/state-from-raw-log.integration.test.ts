import {
  type RawEventRecord,
  type StateRecord,
  stateRecordFor,
  type WinnerState,
  winnerOf,
} from '@shopfloor/contracts';
import { sampleRawRecord } from '@shopfloor/contracts/testing';
import { inMemoryStateStores } from '@shopfloor/dedupe';
import {
  createIdempotentProducer,
  ensureTopics,
  jsonCodecs,
  readPartitions,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { RESTORE_MARKER_KEY } from '@shopfloor/stream-runner';
import { kafkaTest } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createDedupeService } from '../src/dedupe-service.ts';
import { rebuildStateFromRawLog, winnersFromRawLog } from '../src/state-from-raw-log.ts';
import { dedupeTestConfig } from './dedupe-test-fixtures.ts';

// The dedupe state rebuilt from events.raw against the real broker: the dedupe service decides a
// log with duplicates and corrections; its changelog is then damaged (a wrong winner, a foreign key,
// a lost winner); the rebuild from the raw log appends exactly what makes it right again.

const codecs = jsonCodecs();
const silent = pino({ level: 'silent' });
const T = Date.parse('2026-03-01T10:00:00Z');
const raw = (i: number, id: string, defectCount: number, receivedAt: number): RawEventRecord =>
  sampleRawRecord({ batch: i, eventId: id, eventTimeMs: T + i * 1000, defectCount, receivedAt });

kafkaTest(
  'the dedupe state is rebuilt from the raw log, offline, into events.state',
  async ({ kafka }) => {
    const config = dedupeTestConfig('state-raw', 2);
    await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, 2));
    const records: RawEventRecord[] = [];
    for (let i = 0; i < 60; i++) {
      records.push(raw(i, `E-${i}`, i % 4, T + i));
      if (i % 5 === 0) records.push(raw(i, `E-${i}`, i % 4, T + 1_000 + i)); // duplicate
      if (i % 7 === 0) records.push(raw(i, `E-${i}`, 9, T + 2_000 + i)); // correction
    }
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    const stores = inMemoryStateStores();
    const runner = await createDedupeService(config, { kafka, codecs, stores, log: silent });
    try {
      await producer.send({
        topic: config.topics.raw,
        messages: records.map((r) => ({ key: r.event.eventId, value: codecs.raw.encode(r) })),
      });
      await expect.poll(() => runner.counters.records, { timeout: 60_000 }).toBe(records.length);
    } finally {
      await runner.stop();
    }

    const latest = async () => {
      const state = new Map<string, WinnerState>();
      const admin = kafka.admin();
      await admin.connect();
      const ends = await admin.fetchTopicOffsets(config.topics.state).finally(() => admin.disconnect());
      const marker = await producer.send({
        topic: config.topics.state,
        messages: ends.map((e) => ({ key: RESTORE_MARKER_KEY, value: 'test', partition: e.partition })),
      });
      const last = new Map(marker.map((m) => [m.partition, BigInt(m.baseOffset!)]));
      await readPartitions(kafka, {
        topic: config.topics.state,
        from: new Map(ends.map((e) => [e.partition, '0'])),
        allPartitions: ends.map((e) => e.partition),
        isLast: (p, m) => BigInt(m.offset) >= last.get(p)!,
        onMessages: async (_p, messages) => {
          for (const m of messages) {
            const key = m.key!.toString();
            if (key === RESTORE_MARKER_KEY) continue;
            if (m.value === null) state.delete(key);
            else {
              const decoded = await codecs.state.decode(m.value);
              if (decoded.ok) state.set(key, winnerOf(decoded.value as StateRecord));
            }
          }
        },
      });
      return state;
    };
    const truth = new Map<string, WinnerState>();
    const keyPartition = new Map<string, number>();
    for (const p of [0, 1])
      for (const id of records.map((r) => r.event.eventId)) {
        const w = stores.open(p).get(id);
        if (w) {
          truth.set(id, w);
          keyPartition.set(id, p);
        }
      }
    expect(truth.size).toBe(60);
    const before = await latest();
    expect(before).toEqual(truth);

    // Damage: a wrong winner, a lost winner (tombstone) and a foreign key.
    const wrong = { ...truth.get('E-1')!, receivedAt: 1 };
    const foreign = winnersFromRawLog([raw(99, 'E-foreign', 1, T)]).get('E-foreign')!;
    await producer.send({
      topic: config.topics.state,
      messages: [
        {
          key: 'E-1',
          value: codecs.state.encode(stateRecordFor(wrong)),
          partition: keyPartition.get('E-1')!,
        },
        { key: 'E-2', value: null, partition: keyPartition.get('E-2')! },
        {
          key: 'E-foreign',
          value: codecs.state.encode(stateRecordFor(foreign)),
          partition: 0,
        },
      ],
    });
    expect(await latest()).not.toEqual(truth);

    const reports = await rebuildStateFromRawLog(kafka, {
      topics: config.topics,
      groupId: config.SHOPFLOOR_DEDUPE_GROUP,
      codecs,
      log: silent,
    });
    expect(reports.reduce((n, r) => n + r.rawRecords, 0)).toBe(records.length);
    expect(reports.reduce((n, r) => n + r.puts, 0)).toBe(2);
    expect(reports.reduce((n, r) => n + r.tombstones, 0)).toBe(1);
    expect(await latest()).toEqual(truth);
    expect(winnersFromRawLog(records.filter((r) => r.event.eventId === 'E-7'))).toEqual(
      new Map([['E-7', truth.get('E-7')]]),
    );

    // Already right: a second run writes nothing.
    const again = await rebuildStateFromRawLog(kafka, {
      topics: config.topics,
      groupId: config.SHOPFLOOR_DEDUPE_GROUP,
      codecs,
      log: silent,
    });
    expect(again.every((r) => r.puts === 0 && r.tombstones === 0)).toBe(true);
    await producer.disconnect();
    await stores.close();
  },
  180_000,
);
