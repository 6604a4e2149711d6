import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  createIdempotentProducer,
  createTransactionalProducer,
  ensureTopics,
  type KafkaClient,
  loadMemberId,
} from '@shopfloor/kafka';
import { readUntil } from '@shopfloor/kafka/testing';
import {
  type AlertRecord,
  type DetectorConfig,
  RollingWindow,
  readingKey,
  SENSOR_WIRE_VERSION,
} from '@shopfloor/sensors';
import { kafkaTest, uniqueTopic } from '@shopfloor/test-support';
import { pino } from 'pino';
import { expect } from 'vitest';
import { lmdbIdentityStores } from '../src/lmdb-identity-store.ts';
import { intakeReadings } from '../src/reading-intake.ts';
import { publishReadings } from '../src/reading-publisher.ts';
import { jsonSensorCodecs } from '../src/sensor-codecs.ts';
import { type SensorRunner, startSensorRunner } from '../src/sensor-runner.ts';
import { sensorTopicSpecs, sensorTopics } from '../src/sensor-topics.ts';

// The sensor processor against the real broker, two partitions: a spike raises one alert of the
// right severity, re-sent readings raise none, and a new member restores the windows and the seen
// ids from the changelogs (sensor.state, sensor.reading-identities) and decides exactly as the first
// one would have.
const codecs = jsonSensorCodecs();
const detector: DetectorConfig = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };
const PARTITIONS = 2;
const t0 = Date.parse('2026-03-01T10:00:00Z');

const reading = (equipmentId: string, i: number, value: number) => ({
  readingId: `${equipmentId}-R-${i}`,
  equipmentId,
  sensorType: 'temperature',
  value,
  timestamp: new Date(t0 + i * 1_000).toISOString(),
});
/** 30 readings alternating 9 and 11: mean 10, population stddev 1. */
const baseline = (equipmentId: string) =>
  Array.from({ length: 30 }, (_, i) => reading(equipmentId, i, i % 2 === 0 ? 9 : 11));

/** The committed alerts, read until `count` arrived and then 1.5 s longer (so extra ones would show). */
async function alertsIn(kafka: KafkaClient, topic: string, count: number): Promise<AlertRecord[]> {
  const settleAt = Date.now() + 1_500;
  const records = await readUntil(kafka, topic, (r) => r.length >= count && Date.now() > settleAt, {
    timeoutMs: 30_000,
  });
  const out: AlertRecord[] = [];
  for (const r of records) {
    const d = await codecs.alerts.decode(Buffer.from(r.value ?? '', 'utf8'));
    if (!d.ok) throw new Error(d.error);
    out.push(d.value);
  }
  return out;
}

async function waitFor(runner: SensorRunner, processedAtLeast: number, duplicatesAtLeast = 0): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (runner.counters.processed < processedAtLeast || runner.counters.duplicates < duplicatesAtLeast) {
    if (Date.now() > deadline) throw new Error(`timed out: ${JSON.stringify(runner.counters)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Fresh sensor topics on the suite's broker, a connected producer, and the processor's start. */
async function sensorStream(kafka: KafkaClient, label: string, partitions: number) {
  const topics = sensorTopics(`${uniqueTopic(label)}.`);
  await ensureTopics(kafka, sensorTopicSpecs(topics, partitions));
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const start = async (extra: Partial<Parameters<typeof startSensorRunner>[0]> = {}) => {
    // Each member keeps its seen identities as the service does (LMDB, an environment of its own,
    // as a new process would), closed and removed once the member stopped.
    const dir = mkdtempSync(path.join(tmpdir(), 'sensor-identities-'));
    const identities = lmdbIdentityStores(dir);
    const runner = await startSensorRunner({
      kafka,
      codecs,
      topics,
      groupId: `${topics.raw}.processor`,
      partitions,
      detector,
      identities,
      log: pino({ level: 'silent' }),
      sessionTimeoutMs: 6_000,
      ...extra,
    });
    const stopRunner = runner.stop.bind(runner);
    let stopped: Promise<void> | undefined; // a test may stop a member twice (and in its finally)
    return Object.assign(runner, {
      stop: () => {
        stopped ??= (async () => {
          await stopRunner();
          await identities.close();
          rmSync(dir, { recursive: true, force: true });
        })();
        return stopped;
      },
    });
  };
  return { topics, producer, start };
}

kafkaTest(
  'a spike raises one alert, duplicates none, and a restored member decides the same',
  async ({ kafka }) => {
    const { topics, producer, start } = await sensorStream(kafka, 'sensors', PARTITIONS);
    const post = (readings: unknown[]) =>
      publishReadings(producer, topics, codecs, intakeReadings(readings, t0 + 3_600_000, randomUUID()));
    let runner = await start();
    try {
      await post([...baseline('EQ-1'), ...baseline('EQ-2')]);
      await post([
        reading('EQ-1', 100, 15.5),
        reading('EQ-2', 100, 10.5),
        { equipmentId: 'EQ-1', sensorType: 'humidity' },
      ]);
      // The same spike re-sent, by readingId and as a retry of the whole batch.
      await post([reading('EQ-1', 100, 15.5)]);
      await post([reading('EQ-1', 100, 15.5), reading('EQ-2', 100, 10.5)]);
      await waitFor(runner, 62, 3);
      await runner.stop();

      const first = await alertsIn(kafka, topics.alerts, 1);
      expect(first).toHaveLength(1);
      expect(first[0]).toMatchObject({
        equipmentId: 'EQ-1',
        severity: 'CRITICAL',
        zScore: 5.5,
        mean: 10,
        stddev: 1,
        baselineCount: 30,
      });

      // A new member (an empty process) restores the partitions from sensor.state.
      runner = await start();
      await post([reading('EQ-1', 100, 15.5), reading('EQ-1', 101, 13.5), reading('EQ-2', 101, 14.2)]);
      await waitFor(runner, 2, 1);
      expect(runner.counters.restores).toBeGreaterThan(0);
      const all = await alertsIn(kafka, topics.alerts, 3);
      expect(all.map((a) => [a.equipmentId, a.severity, a.zScore])).toEqual(
        expect.arrayContaining([
          ['EQ-1', 'CRITICAL', 5.5],
          ['EQ-1', 'LOW', 3.5],
        ]),
      );
      expect(all).toHaveLength(3);
      // EQ-2's baseline holds its normal 10.5 as the 31st value: mean and stddev moved accordingly.
      const eq2 = all.find((a) => a.equipmentId === 'EQ-2');
      expect(eq2?.baselineCount).toBe(31);
      expect(eq2?.severity).toBe('MEDIUM');
      expect(new Set(all.map((a) => a.alertId)).size).toBe(3);
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  },
);

kafkaTest(
  'with a state horizon, old identities leave through tombstones, a restore holds only the live ones, and an old copy is never new',
  async ({ kafka }) => {
    const stream = await sensorStream(kafka, 'sensors-horizon', PARTITIONS);
    const { topics, producer } = stream;
    const horizon = { horizonMs: 3_600_000, sweepIntervalMs: 10 };
    const twoDays = 2 * 86_400_000;
    // `horizonMs` undefined: a gateway without the horizon, so the processor's own guard is tested.
    const post = (readings: unknown[], receivedAt: number, horizonMs?: number) =>
      publishReadings(
        producer,
        topics,
        codecs,
        intakeReadings(readings, receivedAt, randomUUID(), horizonMs),
      );
    const start = () => stream.start({ horizon });
    let runner = await start();
    try {
      await post([reading('EQ-H', 0, 10)], t0, horizon.horizonMs);
      await waitFor(runner, 1);
      // Two days later (by the log's receivedAt): the sweep drops EQ-H-R-0 in this batch's transaction.
      await post([reading('EQ-H', 2 * 86_400, 10)], t0 + twoDays, horizon.horizonMs);
      await waitFor(runner, 2);
      expect(runner.seenIdentities()).toBe(1);
      await runner.stop();

      // The webhook with the horizon rejects the old copy; a gateway without it lets it through...
      expect(
        intakeReadings([reading('EQ-H', 0, 10)], t0 + twoDays, 'job', horizon.horizonMs).rejections,
      ).toMatchObject([{ reason: 'STALE_TIMESTAMP' }]);
      runner = await start();
      await post([reading('EQ-H', 0, 10), reading('EQ-H', 2 * 86_400, 10)], t0 + twoDays);
      await post([reading('EQ-H', 2 * 86_400 + 1, 10)], t0 + twoDays, horizon.horizonMs);
      // ...and the restored member takes it for no new reading: both copies are duplicates.
      await waitFor(runner, 1, 2);
      expect(runner.counters.restores).toBeGreaterThan(0);
      expect(runner.counters).toMatchObject({ processed: 1, duplicates: 2 });
      // The tombstone was restored too: only the two live identities are held.
      expect(runner.seenIdentities()).toBe(2);
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  },
);

kafkaTest(
  'reading identities go to their own uncompacted changelog, one pack per transaction, and those an earlier version wrote to sensor.state still count',
  async ({ kafka }) => {
    const { topics, producer, start } = await sensorStream(kafka, 'sensors-identities', PARTITIONS);
    const receivedAt = t0 + 3_600_000;
    const intake = (readings: unknown[]) => intakeReadings(readings, receivedAt, randomUUID());
    const keyOf = (r: unknown) => readingKey(intake([r]).raw[0]!.reading);
    const [old, fresh] = [reading('EQ-U', 0, 10), reading('EQ-U', 1, 10)];
    // Before sensor.reading-identities existed, an identity was a record of sensor.state.
    const oldIdentity = {
      key: keyOf(old),
      value: codecs.state.encode({ v: SENSOR_WIRE_VERSION, window: null, slots: null, readingTs: t0 }),
    };
    // To every partition: whichever one owns EQ-U's readings restores it.
    await producer.send({
      topic: topics.state,
      messages: Array.from({ length: PARTITIONS }, (_, partition) => ({ ...oldIdentity, partition })),
    });
    const runner = await start();
    try {
      await publishReadings(producer, topics, codecs, intake([old, fresh]));
      // The restore read it: the old reading is a duplicate, the other one is new.
      await waitFor(runner, 1, 1);
      expect(runner.counters).toMatchObject({ processed: 1, duplicates: 1 });
      const pack = `p\u001f${keyOf(fresh)}`;
      const identities = await readUntil(kafka, topics.identities, (r) => r.some((x) => x.key === pack));
      const restoreMarkers = identities.filter((r) => r.key?.startsWith('\u0000'));
      const written = identities.filter((r) => !restoreMarkers.includes(r));
      expect(written.map((r) => r.key)).toEqual([pack]);
      const decoded = await codecs.identities.decode(written[0]?.bytes ?? null);
      expect(decoded).toMatchObject({ ok: true, value: { identities: [{ key: keyOf(fresh) }] } });
      // sensor.state holds the old identity and the window's run, never the new identity.
      const state = await readUntil(kafka, topics.state, (r) => r.some((x) => x.key?.startsWith('s\u001f')));
      const keys = state.map((r) => r.key);
      expect(keys).toContain(oldIdentity.key);
      expect(keys).not.toContain(keyOf(fresh));
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  },
);

kafkaTest(
  'a changelog in the former whole-window format restores, is replaced by window runs, and those restore the same',
  async ({ kafka }) => {
    // One partition, so the hand-written changelog lands where EQ-L's readings go.
    const { topics, producer, start } = await sensorStream(kafka, 'sensors-legacy', 1);
    const post = (readings: unknown[]) =>
      publishReadings(producer, topics, codecs, intakeReadings(readings, t0 + 3_600_000, randomUUID()));
    // What the former processor wrote for EQ-L's 30-reading baseline: an identity per reading and
    // the whole window (no `slots` field) under w␟EQ-L␟temperature.
    const old = new RollingWindow(detector.windowSize);
    const seen = baseline('EQ-L').map((r) => {
      old.push(r.value);
      const key = readingKey({
        readingId: r.readingId,
        equipmentId: 'EQ-L',
        sensorType: 'temperature',
        timestampMs: 0,
      });
      return {
        key,
        value: codecs.state.encode({ v: 1, window: null, readingTs: Date.parse(r.timestamp) }),
        partition: 0,
      };
    });
    const windowKey = 'w\u001fEQ-L\u001ftemperature';
    await producer.send({
      topic: topics.state,
      messages: [
        ...seen,
        {
          key: windowKey,
          value: codecs.state.encode({ v: 1, window: old.snapshot(), readingTs: null }),
          partition: 0,
        },
      ],
    });
    let runner = await start();
    try {
      // Decided on the restored whole window; the normal 10.5 then rewrites it as runs.
      await post([reading('EQ-L', 100, 15.5), reading('EQ-L', 101, 10.5), reading('EQ-L', 5, 9)]);
      await waitFor(runner, 2, 1);
      await runner.stop();
      const state = await readUntil(kafka, topics.state, (r) => r.some((x) => x.key?.startsWith('s\u001f')));
      const written = state.slice(seen.length + 1);
      expect(written.find((r) => r.key === windowKey)?.value).toBeNull();
      expect(
        written.filter((r) => r.key?.startsWith('s\u001fEQ-L\u001ftemperature\u001f')).map((r) => r.key),
      ).toEqual([0, 10, 20, 30].map((first) => `s\u001fEQ-L\u001ftemperature\u001f${first}`));

      // A new member restores from the whole window, its tombstone and the runs: the 31-value window.
      runner = await start();
      await post([reading('EQ-L', 102, 14.2)]);
      await waitFor(runner, 1);
      expect(runner.counters.restores).toBeGreaterThan(0);
      const alerts = await alertsIn(kafka, topics.alerts, 2);
      expect(alerts.map((a) => [a.severity, a.zScore, a.baselineCount])).toEqual([
        ['CRITICAL', 5.5, 30],
        ['MEDIUM', expect.closeTo(4.236, 3), 31],
      ]);
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  },
);

kafkaTest(
  'a backlog larger than a message of the default size is processed (one partition batch of ~1.3 MB of raw readings)',
  async ({ kafka }) => {
    const { topics, producer, start } = await sensorStream(kafka, 'sensors-backlog', 1);
    // 10 000 readings published before the processor starts: its first fetch takes ~1 MiB of them
    // at once, and their state and decisions go out in one transaction, one batch per partition.
    const readings = Array.from({ length: 10_000 }, (_, i) =>
      reading(`EQ-B${i % 50}`, i, 10 + (i % 7) * 0.1),
    );
    for (let i = 0; i < readings.length; i += 1_000)
      await publishReadings(
        producer,
        topics,
        codecs,
        intakeReadings(readings.slice(i, i + 1_000), t0 + 86_400_000, randomUUID()),
      );
    const runner = await start();
    try {
      await waitFor(runner, 10_000);
      expect(runner.counters).toMatchObject({ processed: 10_000, duplicates: 0, undecodable: 0 });
    } finally {
      await runner.stop();
      await producer.disconnect();
    }
  },
);

kafkaTest(
  'a restarted member, with the member id kept in its directory, aborts the transaction its killed run left open at once',
  async ({ kafka }) => {
    const { topics, producer, start } = await sensorStream(kafka, 'sensors-restart', PARTITIONS);
    const memberIdDir = mkdtempSync(path.join(tmpdir(), 'sensor-member-'));
    // The killed run's producer: the member's transactional id, a transaction left open on
    // sensor.state with a 60 s timeout. Until it ends, a read_committed restore of that partition
    // (and the stable offset fetch) waits: with a new member id, up to those 60 s.
    const transactionalId = `${topics.raw}.processor.${topics.raw}.${loadMemberId(memberIdDir)}`;
    const zombie = createTransactionalProducer(kafka, transactionalId, { transactionTimeoutMs: 60_000 });
    await zombie.connect();
    const open = await zombie.transaction();
    for (let partition = 0; partition < PARTITIONS; partition++)
      await open.send({
        topic: topics.state,
        messages: [{ key: `zombie-${partition}`, value: null, partition }],
      });
    const post = (readings: unknown[]) =>
      publishReadings(producer, topics, codecs, intakeReadings(readings, t0 + 3_600_000, randomUUID()));
    const startedAt = Date.now();
    const runner = await start({ memberIdDir });
    try {
      await post([...baseline('EQ-R1'), ...baseline('EQ-R2')]);
      await waitFor(runner, 60);
      const tookMs = Date.now() - startedAt;
      console.info(`sensor member restarted over an open transaction: 60 readings decided in ${tookMs} ms`);
      expect(tookMs).toBeLessThan(30_000);
      expect(runner.restoreProgress()).toMatchObject({ joined: true, pending: [] });
      // The zombie was fenced: its transaction can no longer commit.
      await expect(open.commit()).rejects.toThrow();
    } finally {
      await runner.stop();
      await producer.disconnect();
      await zombie.disconnect().catch(() => {});
      rmSync(memberIdDir, { recursive: true, force: true });
    }
  },
);
