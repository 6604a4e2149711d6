import { randomUUID } from 'node:crypto';
import {
  insertSensorAlerts,
  insertSensorReadings,
  queryRecordedSensorBatch,
  querySensorAlertResolution,
  querySensorAlerts,
  querySensorHistory,
  writeSinkOffsets,
} from '@shopfloor/clickhouse';
import { groupToken } from '@shopfloor/group-projector';
import { createIdempotentProducer, ensureTopics, type KafkaClient } from '@shopfloor/kafka';
import type { AlertRecord, ProcessedReadingRecord } from '@shopfloor/sensors';
import { kafkaTest, startEmbeddedClickHouse, uniqueTopic } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect, inject } from 'vitest';
import { intakeReadings } from '../src/reading-intake.ts';
import { publishReadings } from '../src/reading-publisher.ts';
import { registrySensorCodecs } from '../src/sensor-codecs.ts';
import { projectSensorGroup } from '../src/sensor-projection.ts';
import {
  createSensorAlertProjector,
  createSensorProjector,
  type SensorProjector,
} from '../src/sensor-projector.ts';
import { type SensorRunner, startSensorRunner } from '../src/sensor-runner.ts';
import { sensorTopicSpecs, sensorTopics } from '../src/sensor-topics.ts';

// The sensor write side against the real broker, the real schema registry (Avro) and the embedded
// ClickHouse: processor + projector end to end, and the projector's recovery after a crash between
// its insert and its commit.

const T = Date.parse('2026-03-01T10:00:00Z');
const log = pino({ level: 'silent' });
const reading = (equipmentId: string, i: number, value: number) => ({
  readingId: `${equipmentId}-R-${i}`,
  equipmentId,
  sensorType: 'temperature',
  value,
  timestamp: new Date(T + i * 1_000).toISOString(),
});
const count = async (reader: { query(sql: string): Promise<Record<string, unknown>[]> }, sql: string) =>
  Number((await reader.query(sql))[0]?.n);

async function sensorWorld(kafka: KafkaClient, name: string) {
  const topics = sensorTopics(`${uniqueTopic(name)}.`);
  await ensureTopics(kafka, sensorTopicSpecs(topics, 2));
  const codecs = await registrySensorCodecs({ url: inject('schemaRegistryUrl'), topics });
  const ch = await startEmbeddedClickHouse();
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const stops: (() => Promise<unknown>)[] = [];
  return {
    topics,
    codecs,
    ch,
    producer,
    post: (readings: unknown[], jobId = randomUUID()) =>
      publishReadings(producer, topics, codecs, intakeReadings(readings, T + 3_600_000, jobId)).then(
        () => jobId,
      ),
    async startRunner(): Promise<SensorRunner> {
      const runner = await startSensorRunner({
        kafka,
        codecs,
        topics,
        groupId: `${topics.raw}.processor`,
        partitions: 2,
        detector: { windowSize: 100, minWindow: 30, thresholdSigma: 3 },
        log,
        sessionTimeoutMs: 6_000,
      });
      stops.push(() => runner.stop());
      return runner;
    },
    /** The two lanes, as the service runs them: readings (bulk) and alerts (a group per fetch). */
    async startProjectors(): Promise<{ readings: SensorProjector; alerts: SensorProjector }> {
      const options = {
        kafka,
        writer: ch.writer,
        codecs,
        topics,
        sessionTimeoutMs: 6_000,
        badRecordPolicy: 'dead-letter' as const,
        log,
      };
      const readings = createSensorProjector({ ...options, groupId: `${topics.raw}.projector` });
      const alerts = createSensorAlertProjector({ ...options, groupId: `${topics.raw}.alert-projector` });
      stops.push(
        () => readings.stop(),
        () => alerts.stop(),
      );
      await alerts.start();
      await readings.start();
      return { readings, alerts };
    },
    async close() {
      for (const s of stops.splice(0).reverse()) await s().catch(() => {});
      await producer.disconnect();
      await ch.stop();
    },
  };
}

kafkaTest(
  'readings to ClickHouse: one alert for a spike, none for duplicates, every job complete, the first resolution wins',
  async ({ kafka }) => {
    const world = await sensorWorld(kafka, 'sensor-pipeline');
    try {
      await world.startRunner();
      await world.startProjectors();
      const baseline = (eq: string) => Array.from({ length: 30 }, (_, i) => reading(eq, i, i % 2 ? 11 : 9));
      const first = await world.post([...baseline('EQ-1'), ...baseline('EQ-2'), { equipmentId: 'EQ-1' }]);
      const spike = await world.post([reading('EQ-1', 100, 15.5), reading('EQ-2', 100, 10.5)]);
      // The spike re-sent (a retry of the whole request, and once more inside one request).
      const resent = await world.post([reading('EQ-1', 100, 15.5), reading('EQ-1', 100, 15.5)]);
      const { reader } = world.ch;
      // Readings are keyed by equipment, so one job's readings travel through several partitions:
      // wait until every job is recorded whole, not only the last one posted.
      for (const [job, size] of [
        [first, 61],
        [spike, 2],
        [resent, 2],
      ] as const) {
        await expect
          .poll(async () => (await queryRecordedSensorBatch(reader, job)).recorded, { timeout: 60_000 })
          .toBe(size);
      }
      expect(await queryRecordedSensorBatch(reader, first)).toMatchObject({
        batchSize: 61,
        recorded: 61,
        accepted: 60,
        deduped: 0,
        rejected: 1,
        rejections: [{ seq: 60, readingId: null, reason: 'MISSING_FIELD' }],
      });
      expect(await queryRecordedSensorBatch(reader, spike)).toMatchObject({ accepted: 2, deduped: 0 });
      expect(await queryRecordedSensorBatch(reader, resent)).toMatchObject({ accepted: 0, deduped: 2 });

      // The alert lane is a consumer group of its own: its alert lands independently of the job.
      await expect
        .poll(async () => (await querySensorAlerts(reader, { limit: 10 })).length, { timeout: 30_000 })
        .toBe(1);
      const alerts = await querySensorAlerts(reader, { limit: 10 });
      expect(alerts).toEqual([
        expect.objectContaining({ equipmentId: 'EQ-1', severity: 'CRITICAL', zScore: 5.5, status: 'OPEN' }),
      ]);
      expect(await count(reader, 'SELECT count() AS n FROM sensor_readings')).toBe(62);
      const history = await querySensorHistory(reader, {
        equipmentId: 'EQ-1',
        sensorType: 'temperature',
        fromMs: T,
        toMs: T + 3_600_000,
        bucketMinutes: 60,
      });
      expect(history).toEqual([expect.objectContaining({ count: 31, min: 9, max: 15.5, anomalies: 1 })]);

      // Two resolutions in the log (two operators at once): the earliest wins everywhere.
      const alertId = alerts[0]!.alertId;
      await world.producer.send({
        topic: world.topics.resolutions,
        messages: [
          {
            key: alertId,
            value: world.codecs.resolutions.encode({
              v: 1,
              alertId,
              resolvedBy: 'k_late',
              note: 'late',
              resolvedAt: T + 2,
            }),
          },
          {
            key: alertId,
            value: world.codecs.resolutions.encode({
              v: 1,
              alertId,
              resolvedBy: 'k_first',
              note: null,
              resolvedAt: T + 1,
            }),
          },
        ],
      });
      await expect
        .poll(() => querySensorAlertResolution(reader, alertId), { timeout: 30_000 })
        .toEqual({ found: true, resolution: { resolvedBy: 'k_first', note: null, resolvedAtMs: T + 1 } });
      expect(await querySensorAlerts(reader, { limit: 10 })).toEqual([
        expect.objectContaining({ alertId, status: 'RESOLVED', resolvedBy: 'k_first' }),
      ]);
      expect(await querySensorAlertResolution(reader, 'ffffffffffffffffffffffffffffffff')).toEqual({
        found: false,
      });
    } finally {
      await world.close();
    }
  },
);

kafkaTest(
  'after a crash between the insert and the commit, the recorded group counts once',
  async ({ kafka }) => {
    const world = await sensorWorld(kafka, 'sensor-projector-crash');
    try {
      const decided: ProcessedReadingRecord[] = intakeReadings(
        [0, 1, 2].map((i) => reading('EQ-9', i, 20 + i)),
        T + 60_000,
        'job-crash',
      ).raw.map((r) => ({
        v: 1,
        readingKey: `id\u001f${r.reading.readingId}`,
        batchId: r.batchId,
        seq: r.seq,
        batchSize: r.batchSize,
        receivedAt: r.receivedAt,
        reading: r.reading,
        assessment: 'warming-up',
        zScore: null,
        alertId: null,
      }));
      await world.producer.send({
        topic: world.topics.processed,
        messages: decided.map((d) => ({
          key: 'EQ-9',
          partition: 0,
          value: world.codecs.processed.encode(d),
        })),
      });
      // What a projector killed right after its sensor_readings insert leaves: the group's marker,
      // its rows under its token, nothing else inserted, nothing committed.
      const marker = {
        topic: world.topics.processed,
        partition: 0,
        minOffset: 0,
        maxOffset: 2,
        updatedAt: T,
      };
      await writeSinkOffsets(world.ch.writer, [marker]);
      const group = {
        markerAt: T,
        ranges: new Map([
          [`${marker.topic}:0`, { topic: marker.topic, partition: 0, min: 0n, max: 2n, messages: [] }],
        ]),
      };
      const rows = projectSensorGroup({
        processed: decided.map((value, i) => ({ value, offset: String(i), timestamp: T })),
        alerts: [],
        resolutions: [],
        deadLetters: [],
      }).readings;
      await insertSensorReadings(world.ch.writer, rows, { dedupToken: `${groupToken(group)}:sreadings` });

      const projector = (await world.startProjectors()).readings;
      const { reader } = world.ch;
      await expect
        .poll(async () => (await queryRecordedSensorBatch(reader, 'job-crash')).recorded, { timeout: 30_000 })
        .toBe(3);
      // Counted once the group's offsets are committed, a moment after its rows are visible.
      await expect.poll(() => projector.counters.reappliedGroups, { timeout: 30_000 }).toBe(1);
      expect(await count(reader, 'SELECT count() AS n FROM sensor_readings')).toBe(3);
      expect(await count(reader, 'SELECT sum(readings_count) AS n FROM sensor_minute_stats')).toBe(3);

      // It goes on with new records after the re-applied group.
      await world.startRunner();
      await world.post([reading('EQ-9', 10, 30)]);
      await expect
        .poll(() => count(reader, 'SELECT count() AS n FROM sensor_readings'), { timeout: 60_000 })
        .toBe(4);
      // The rollup's part is committed after the readings' part of the same insert (a reader can
      // see one without the other for a moment), so it is polled too; a double count would show as 5.
      await expect
        .poll(() => count(reader, 'SELECT sum(readings_count) AS n FROM sensor_minute_stats'), {
          timeout: 10_000,
        })
        .toBe(4);
    } finally {
      await world.close();
    }
  },
);

kafkaTest(
  'the alert projector: after a crash between its alert insert and its commit, the alert counts once',
  async ({ kafka }) => {
    const world = await sensorWorld(kafka, 'sensor-alert-projector-crash');
    try {
      const alert: AlertRecord = {
        v: 1,
        alertId: 'a'.repeat(32),
        readingKey: 'id\u001fEQ-7-R-100',
        readingId: 'EQ-7-R-100',
        equipmentId: 'EQ-7',
        sensorType: 'temperature',
        value: 15.5,
        unit: 'celsius',
        timestamp: new Date(T).toISOString(),
        timestampMs: T,
        receivedAt: T,
        severity: 'CRITICAL',
        zScore: 5.5,
        mean: 10,
        stddev: 1,
        baselineCount: 30,
        thresholdSigma: 3,
      };
      await world.producer.send({
        topic: world.topics.alerts,
        messages: [{ key: 'EQ-7', partition: 0, value: world.codecs.alerts.encode(alert) }],
      });
      // What an alert projector killed right after its insert leaves: the marker, the row under its
      // token, nothing committed.
      const marker = { topic: world.topics.alerts, partition: 0, minOffset: 0, maxOffset: 0, updatedAt: T };
      await writeSinkOffsets(world.ch.writer, [marker]);
      const group = {
        markerAt: T,
        ranges: new Map([
          [`${marker.topic}:0`, { topic: marker.topic, partition: 0, min: 0n, max: 0n, messages: [] }],
        ]),
      };
      const rows = projectSensorGroup({
        processed: [],
        alerts: [{ value: alert, offset: '0', timestamp: T }],
        resolutions: [],
        deadLetters: [],
      }).alerts;
      await insertSensorAlerts(world.ch.writer, rows, { dedupToken: `${groupToken(group)}:salerts` });

      const { alerts } = await world.startProjectors();
      await expect.poll(() => alerts.counters.reappliedGroups, { timeout: 30_000 }).toBe(1);
      const { reader } = world.ch;
      // Not collapsed by a merge: the re-applied insert was dropped by its token.
      expect(await count(reader, 'SELECT count() AS n FROM sensor_alerts')).toBe(1);
      expect([...alerts.position()]).toEqual([[`${world.topics.alerts}:0`, 0n]]);
    } finally {
      await world.close();
    }
  },
);

kafkaTest(
  'decisions in sensor.readings (one record each, as written before the batch records) are projected with the new ones',
  async ({ kafka }) => {
    const world = await sensorWorld(kafka, 'sensor-upgrade');
    try {
      // What the former processor left in sensor.readings: one decision per record, key equipmentId.
      const jobId = randomUUID();
      const old = (i: number): ProcessedReadingRecord => ({
        v: 1,
        readingKey: `id\u001fEQ-OLD-R-${i}`,
        batchId: jobId,
        seq: i,
        batchSize: 3,
        receivedAt: T + 3_600_000,
        reading: {
          readingId: `EQ-OLD-R-${i}`,
          equipmentId: 'EQ-OLD',
          sensorType: 'temperature',
          value: 10 + i,
          unit: '°C',
          timestamp: new Date(T + i * 1_000).toISOString(),
          timestampMs: T + i * 1_000,
        },
        assessment: 'warming-up',
        zScore: null,
        alertId: null,
      });
      await world.producer.send({
        topic: world.topics.processed,
        messages: [0, 1, 2].map((i) => ({ key: 'EQ-OLD', value: world.codecs.processed.encode(old(i)) })),
      });
      await world.startRunner();
      await world.startProjectors();
      const fresh = await world.post([reading('EQ-NEW', 0, 10), reading('EQ-NEW', 1, 11)]);
      const { reader } = world.ch;
      for (const [job, size] of [
        [jobId, 3],
        [fresh, 2],
      ] as const) {
        await expect
          .poll(async () => (await queryRecordedSensorBatch(reader, job)).recorded, { timeout: 60_000 })
          .toBe(size);
      }
      expect(await queryRecordedSensorBatch(reader, jobId)).toMatchObject({ accepted: 3, deduped: 0 });
      for (const [equipment, n] of [
        ['EQ-OLD', 3],
        ['EQ-NEW', 2],
      ] as const)
        expect(
          await count(reader, `SELECT count() AS n FROM sensor_readings WHERE equipment_id = '${equipment}'`),
        ).toBe(n);
    } finally {
      await world.close();
    }
  },
);
