import {
  countEventWinners,
  insertEventChanges,
  queryMachineStats,
  writeSinkOffsets,
} from '@shopfloor/clickhouse';
import type { ChangeRecord } from '@shopfloor/contracts';
import { groupToken, markersOf, rangeGroupFromMarkers } from '@shopfloor/group-projector';
import { createIdempotentProducer, jsonCodecs, type KafkaClient, readPartitions } from '@shopfloor/kafka';
import { kafkaTest } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createProjectorService, type ProjectorService } from '../src/projector-service.ts';
import { projectorTestWorld } from './projector-world.ts';

// The projector against the real broker and the embedded engine: a restart after a clean commit,
// a restart after a crash between the insert and the commit, and an undecodable record.

const codecs = jsonCodecs();
const T = Date.parse('2026-03-01T10:00:00Z');
const change = (i: number): ChangeRecord => {
  const eventId = `E-${i}`;
  return {
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
        eventTimeMs: T + i,
        machineId: 'M-1',
        lineId: 'L-1',
        factoryId: 'F-1',
        durationMs: 10,
        defectCount: 1,
        receivedAt: 1_000 + i,
        version: 1,
      },
    ],
  };
};
const changeMessages = (ids: number[]) =>
  ids.map((i) => ({ key: null, value: codecs.changes.encode({ v: 1, changes: [change(i)] }) }));

async function projectorWorld(kafka: KafkaClient, name: string) {
  const { topics, ch, producer, config, close } = await projectorTestWorld(kafka, {
    name,
    partitions: 1,
    sessionTimeoutMs: 6_000,
  });
  const running: ProjectorService[] = [];
  const committed = async () => {
    const admin = kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchOffsets({
        groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
        topics: [topics.changes],
      });
      return offsets[0]?.partitions[0]?.offset;
    } finally {
      await admin.disconnect();
    }
  };
  return {
    topics,
    ch,
    committed,
    send: (ids: number[]) => producer.send({ topic: topics.changes, messages: changeMessages(ids) }),
    async startProjector() {
      const projector = createProjectorService(config, {
        kafka,
        writer: ch.writer,
        codecs,
        log: pino({ level: 'silent' }),
      });
      running.push(projector);
      await projector.start();
      return projector;
    },
    async close() {
      for (const p of running.splice(0)) await p.stop().catch(() => {});
      await close();
    },
  };
}

kafkaTest('a projector restarted after a clean commit goes on projecting new records', async ({ kafka }) => {
  // Regression (found by `pnpm chaos`): a projector restarted after a clean commit waited for the
  // records of its last recorded group, but the committed offset was past them: it stalled forever.
  const world = await projectorWorld(kafka, 'projector-restart');
  try {
    const first = await world.startProjector();
    await world.send([0, 1, 2]);
    await expect.poll(() => countEventWinners(world.ch.reader), { timeout: 30_000 }).toBe(3);
    await expect.poll(world.committed, { timeout: 30_000 }).toBe('3'); // the commit follows the insert
    await first.stop();

    await world.startProjector(); // sink_offsets holds the last group, inserted and committed
    await world.send([3, 4]);
    await expect.poll(() => countEventWinners(world.ch.reader), { timeout: 30_000 }).toBe(5);
  } finally {
    await world.close();
  }
});

kafkaTest(
  'after a crash between the insert and the commit, the recorded group counts once',
  async ({ kafka }) => {
    const world = await projectorWorld(kafka, 'projector-crash');
    try {
      await world.send([0, 1, 2]);
      // The state a projector killed right after its event_changes insert leaves: the group's
      // markers, its rows under its token, no batch_events, nothing committed.
      const recorded = {
        topic: world.topics.changes,
        partition: 0,
        minOffset: 0,
        maxOffset: 2,
        updatedAt: T,
      };
      await writeSinkOffsets(world.ch.writer, [recorded]);
      const group = rangeGroupFromMarkers([recorded])!;
      expect(markersOf(group)).toEqual([recorded]);
      await insertEventChanges(
        world.ch.writer,
        [0, 1, 2].flatMap((i) => change(i).rows),
        { dedupToken: `${groupToken(group)}:changes` },
      );

      const projector = await world.startProjector();
      await expect.poll(world.committed, { timeout: 30_000 }).toBe('3');
      expect(projector.counters.reappliedGroups).toBe(1);
      const stats = () =>
        queryMachineStats(world.ch.reader, { machineId: 'M-1', startMs: T - 60_000, endMs: T + 60_000 });
      expect(await stats()).toEqual({ eventsCount: 3, defectsCount: 3 });
      const rows = await world.ch.reader.query('SELECT count() AS n FROM event_changes');
      expect(Number(rows[0]?.n)).toBe(3);

      await world.send([3, 4]);
      await expect.poll(async () => (await stats()).eventsCount, { timeout: 30_000 }).toBe(5);
      expect(await countEventWinners(world.ch.reader)).toBe(5);
    } finally {
      await world.close();
    }
  },
);

kafkaTest(
  'an undecodable record is parked on events.invalid and the others are projected',
  async ({ kafka }) => {
    const world = await projectorWorld(kafka, 'projector-bad-record');
    try {
      const projector = await world.startProjector();
      const producer = createIdempotentProducer(kafka);
      await producer.connect();
      await producer.send({
        topic: world.topics.changes,
        messages: [
          ...changeMessages([0]),
          { key: 'bad', value: Buffer.from('{"v":1') },
          ...changeMessages([1]),
        ],
      });
      await producer.disconnect();
      await expect.poll(world.committed, { timeout: 30_000 }).toBe('3');
      expect(await countEventWinners(world.ch.reader)).toBe(2);
      expect(projector.counters.invalidRecords).toBe(1);
      const parked: Buffer[] = [];
      await readPartitions(kafka, {
        topic: world.topics.invalid,
        from: new Map([[0, '0']]),
        allPartitions: [0],
        isLast: () => true,
        onMessages: (_, messages) => {
          for (const m of messages) if (m.value) parked.push(m.value);
        },
        timeoutMs: 30_000,
      });
      const invalid = await codecs.invalid.decode(parked[0] ?? null);
      expect(invalid.ok && { ...invalid.value, error: typeof invalid.value.error }).toEqual({
        v: 1,
        topic: world.topics.changes,
        partition: 0,
        offset: '1',
        error: 'string',
        value: Buffer.from('{"v":1'),
      });
    } finally {
      await world.close();
    }
  },
);
