import { Writable } from 'node:stream';
import { queryMachineStats, rebuildDatabaseOf } from '@shopfloor/clickhouse';
import { jsonCodecs, type KafkaClient } from '@shopfloor/kafka';
import { kafkaTest } from '@shopfloor/test-support';
import Fastify from 'fastify';
import { pino } from 'pino';
import { expect } from 'vitest';
import { createProjectorService } from '../src/projector-service.ts';
import { runRebuildCommand } from '../src/rebuild-client.ts';
import { createRebuildJob } from '../src/rebuild-job.ts';
import { rebuildRoutes } from '../src/rebuild-routes.ts';
import { eventsRebuildStream } from '../src/rebuild-stream.ts';
import { projectorTestWorld } from './projector-world.ts';
import { type ProjectionSnapshot, snapshotProjection } from './rebuild-snapshot.ts';
import { T0, truthOf, type Workload, workload } from './rebuild-workload.ts';

// The rebuild against the real broker and the embedded engine, next to a live projector: a workload
// with duplicates, corrections and rejections; a rebuild over HTTP (the CLI client) while records
// keep coming and queries keep being answered; the tables equal before, after and to the ground
// truth; a second rebuild gives identical tables; an aborted rebuild leaves the serving tables as
// they were, and the next one completes.

const codecs = jsonCodecs();
const silent = pino({ level: 'silent' });

async function rebuildWorld(kafka: KafkaClient) {
  const { topics, ch, producer, config, close } = await projectorTestWorld(kafka, {
    name: 'rebuild',
    partitions: 3,
    sessionTimeoutMs: 10_000,
  });
  const projector = createProjectorService(config, { kafka, writer: ch.writer, codecs, log: silent });
  const jobWith = (chunkRecords: number) =>
    createRebuildJob({
      kafka,
      writer: ch.writer,
      streams: [
        eventsRebuildStream({ projector, codecs, topics, badRecordPolicy: 'dead-letter', log: silent }),
      ],
      log: silent,
      chunkRecords,
    });
  return {
    ch,
    projector,
    jobWith,
    async send(w: Pick<Workload, 'changes' | 'deadLetters'>) {
      // Change batch records of up to 7 changes, as dedupe transactions write them: every change
      // of one eventId on one partition, in order.
      for (let i = 0; i < w.changes.length; i += 200) {
        const byPartition = new Map<number, typeof w.changes>();
        for (const c of w.changes.slice(i, i + 200))
          byPartition.set(partitionOf(c.key), [...(byPartition.get(partitionOf(c.key)) ?? []), c]);
        const messages = [...byPartition].flatMap(([partition, changes]) =>
          Array.from({ length: Math.ceil(changes.length / 7) }, (_, j) => ({
            key: null,
            partition,
            value: codecs.changes.encode({
              v: 1,
              changes: changes.slice(j * 7, j * 7 + 7).map((c) => c.record),
            }),
          })),
        );
        await producer.send({ topic: topics.changes, messages });
      }
      if (w.deadLetters.length > 0)
        await producer.send({
          topic: topics.deadLetter,
          messages: w.deadLetters.map((d) => ({ key: d.batchId, value: codecs.deadLetter.encode(d) })),
        });
    },
    async rebuildDatabaseExists() {
      const rows = await ch.reader.query('SELECT name FROM system.databases WHERE name = {n:String}', {
        params: { n: rebuildDatabaseOf('default') },
      });
      return rows.length > 0;
    },
    async close() {
      await projector.stop().catch(() => {});
      await close();
    },
  };
}

const sorted = (s: ProjectionSnapshot) =>
  Object.fromEntries(Object.entries(s).map(([k, v]) => [k, [...v].sort()])) as ProjectionSnapshot;

function expectTruth(s: ProjectionSnapshot, truth: ReturnType<typeof truthOf>) {
  const got = sorted(s);
  expect(got.events).toEqual(truth.events);
  expect(got.machineMinutes).toEqual(truth.machineMinutes);
  expect(got.lineMinutes).toEqual(truth.lineMinutes);
  expect(got.rejected).toHaveLength(truth.rejected);
}

/** A stable partition (of 3) per eventId, as the dedupe consumers' co-partitioning gives one. */
const partitionOf = (eventId: string) => [...eventId].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 3, 0);

kafkaTest(
  'a rebuild re-projects every table from the log without downtime, twice identically, and survives an abort',
  async ({ kafka }) => {
    const world = await rebuildWorld(kafka);
    const app = Fastify();
    try {
      const first = workload(0, 2_000);
      await world.send(first);
      await world.projector.start();
      const truth1 = truthOf(first.winners, first.deadLetters.length);
      await expect
        .poll(async () => sorted(await snapshotProjection(world.ch.reader)).events, { timeout: 60_000 })
        .toEqual(truth1.events);
      await expect
        .poll(async () => (await snapshotProjection(world.ch.reader)).rejected.length, { timeout: 30_000 })
        .toBe(truth1.rejected);
      const before = await snapshotProjection(world.ch.reader);
      expectTruth(before, truth1);

      // A window holding only events of the first workload: its answer must not move.
      const window = { machineId: 'M-0', startMs: T0, endMs: T0 + 3_600_000 };
      const expected = await queryMachineStats(world.ch.reader, window);
      expect(expected.eventsCount).toBeGreaterThan(50);

      const job = world.jobWith(100);
      await app.register(rebuildRoutes, { job });
      const url = await app.listen({ host: '127.0.0.1', port: 0 });

      // Rebuild 1, over HTTP through the CLI client, with records still coming and queries asked.
      const second = workload(2_000, 2_600, new Map(first.winners));
      let producing = true;
      const producer = (async () => {
        for (let i = 0; i < second.changes.length; i += 50) {
          await world.send({ changes: second.changes.slice(i, i + 50), deadLetters: [] });
          await new Promise((r) => setTimeout(r, 40));
        }
        await world.send({ changes: [], deadLetters: second.deadLetters });
        producing = false;
      })();
      const answers: { phase: string | null; eventsCount: number; defectsCount: number; ms: number }[] = [];
      let following = true;
      const querier = (async () => {
        while (following) {
          const t0 = performance.now();
          const answer = await queryMachineStats(world.ch.reader, window);
          const phase = job.status().phase;
          if (job.status().state === 'running')
            answers.push({ phase, ...answer, ms: performance.now() - t0 });
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      let printed = '';
      const out = new Writable({
        write(chunk, _enc, done) {
          printed += String(chunk);
          done();
        },
      });
      const exitCode = await runRebuildCommand({ url, out, pollIntervalMs: 100 });
      following = false;
      await querier;
      await producer;
      expect(producing).toBe(false);
      expect(exitCode, printed).toBe(0);
      expect(printed).toMatch(/records\/s · ETA/);
      expect(printed).toMatch(/rebuild succeeded/);
      const status = job.status();
      expect(status.state).toBe('succeeded');
      expect(status.done).toBe(status.total);
      expect(status.records).toBeGreaterThanOrEqual(first.changes.length + first.deadLetters.length);
      // Queries asked during the rebuild were answered, every one with the right answer.
      expect(answers.length).toBeGreaterThan(0);
      expect(answers.some((a) => a.phase === 'copying')).toBe(true);
      for (const a of answers)
        expect({ eventsCount: a.eventsCount, defectsCount: a.defectsCount }).toEqual(expected);
      const slowest = answers.reduce((a, b) => (b.ms > a.ms ? b : a));
      const median = [...answers].sort((a, b) => a.ms - b.ms)[Math.floor(answers.length / 2)]!;
      console.log(
        `rebuild 1: ${status.records} records, ${status.recordsPerSecond} records/s; ${answers.length} queries answered during it, median ${Math.round(median.ms)} ms, slowest ${Math.round(slowest.ms)} ms (${slowest.phase})`,
      );
      expect(await world.rebuildDatabaseExists()).toBe(false);

      // Every record counted once: those rebuilt, and those the projector applied after the switch.
      const truth2 = truthOf(second.winners, first.deadLetters.length + second.deadLetters.length);
      await expect
        .poll(async () => sorted(await snapshotProjection(world.ch.reader)).events, { timeout: 60_000 })
        .toEqual(truth2.events);
      await expect
        .poll(async () => (await snapshotProjection(world.ch.reader)).rejected.length, { timeout: 30_000 })
        .toBe(truth2.rejected);
      const afterFirst = await snapshotProjection(world.ch.reader);
      expectTruth(afterFirst, truth2);

      // Rebuild 2 (nothing new in the log): identical tables.
      job.start();
      expect((await job.settled()).state).toBe('succeeded');
      expect(sorted(await snapshotProjection(world.ch.reader))).toEqual(sorted(afterFirst));

      // Rebuild 3, aborted while copying: the serving tables are untouched, the rebuild database gone.
      const slow = world.jobWith(10);
      slow.start();
      await expect.poll(() => slow.status().done, { timeout: 30_000, interval: 20 }).toBeGreaterThan(0);
      expect(slow.status().phase).toBe('copying');
      const aborted = await slow.abort();
      expect(aborted.state).toBe('aborted');
      expect(aborted.done).toBeLessThan(aborted.total);
      expect(sorted(await snapshotProjection(world.ch.reader))).toEqual(sorted(afterFirst));
      expect(await world.rebuildDatabaseExists()).toBe(false);

      // Restarted, it starts over and completes.
      const restarted = await app.inject({ method: 'POST', url: '/admin/rebuild' });
      expect(restarted.statusCode).toBe(202);
      const again = await app.inject({ method: 'POST', url: '/admin/rebuild' });
      expect([202, 409]).toContain(again.statusCode); // 409 REBUILD_RUNNING unless it already ended
      expect((await job.settled()).state).toBe('succeeded');
      expect(sorted(await snapshotProjection(world.ch.reader))).toEqual(sorted(afterFirst));
      expectTruth(afterFirst, truth2);
    } finally {
      await app.close();
      await world.close();
    }
  },
  240_000,
);
