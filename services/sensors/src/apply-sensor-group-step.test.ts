import type { ClickHouseWriter, InsertRequest } from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import { groupToken, type RangeGroup } from '@shopfloor/group-projector';
import type { ConsumedMessage } from '@shopfloor/kafka';
import { noMetrics } from '@shopfloor/metrics';
import { SensorProcessor } from '@shopfloor/sensors';
import { pino } from 'pino';
import { describe, expect, test } from 'vitest';
import { createApplySensorGroupStep } from './apply-sensor-group-step.ts';
import { createDecodeSensorGroupStep } from './decode-sensor-group-step.ts';
import { createProcessReadingsStep } from './process-readings-step.ts';
import { intakeReadings } from './reading-intake.ts';
import { jsonSensorCodecs } from './sensor-codecs.ts';
import { projectSensorGroup } from './sensor-projection.ts';
import { sensorTopics } from './sensor-topics.ts';

const codecs = jsonSensorCodecs();
const topics = sensorTopics('t.');
const log = pino({ level: 'silent' });
const t0 = Date.parse('2026-03-01T10:00:00Z');
const reading = (i: number, value: number) => ({
  readingId: `R-${i}`,
  equipmentId: 'EQ-1',
  sensorType: 'voltage',
  value,
  timestamp: new Date(t0 + i * 1000).toISOString(),
});

/** A job of 30 baseline readings, a spike, the spike again and one invalid reading, processed. */
async function processedJob() {
  const intake = intakeReadings(
    [
      ...Array.from({ length: 30 }, (_, i) => reading(i, i % 2 ? 231 : 229)),
      reading(30, 236),
      reading(30, 236),
      {},
    ],
    t0 + 60_000,
    'job-1',
  );
  const messages = intake.raw.map(
    (r, i) =>
      ({
        key: Buffer.from('EQ-1'),
        value: codecs.raw.encode(r),
        offset: String(i),
        timestamp: String(t0),
      }) as ConsumedMessage,
  );
  const result = await createProcessReadingsStep({ codecs, topics })(
    new SensorProcessor({ windowSize: 100, minWindow: 30, thresholdSigma: 3 }),
    0,
    messages,
  );
  if (result.kind !== 'ok') throw new Error(result.reason);
  const on = (topic: string) => result.value.topicMessages.find((t) => t.topic === topic)?.messages ?? [];
  const consumed = (topic: string, extra: Buffer[] = []) =>
    [...on(topic).map((m) => m.value as Buffer), ...extra].map(
      (value, i) =>
        ({ key: null, value, offset: String(i), timestamp: String(t0 + 61_000) }) as ConsumedMessage,
    );
  return { intake, consumed };
}

function groupOf(ranges: { topic: string; messages: ConsumedMessage[] }[]): RangeGroup {
  return {
    markerAt: 1_000,
    ranges: new Map(
      ranges
        .filter((r) => r.messages.length > 0)
        .map((r) => [
          `${r.topic}:0`,
          { topic: r.topic, partition: 0, min: 0n, max: BigInt(r.messages.length - 1), messages: r.messages },
        ]),
    ),
  };
}

function fakeWriter() {
  const inserts: { table: string; token: unknown; rows: number }[] = [];
  const writer: ClickHouseWriter = {
    mode: 'embedded',
    query: async () => [],
    command: async () => {},
    insert: async (r: InsertRequest) => {
      inserts.push({ table: r.table, token: r.settings?.insert_deduplication_token, rows: r.values.length });
    },
  };
  return { writer, inserts };
}

describe('the sensor projection', () => {
  test('readings without duplicates; every reading of the job in its outcome; alerts and rejections', async () => {
    const { intake, consumed } = await processedJob();
    const decode = createDecodeSensorGroupStep({ codecs, topics, badRecordPolicy: 'dead-letter', log });
    const rejected = intake.rejected.map((d) => codecs.deadLetter.encode(d));
    const group = groupOf([
      { topic: topics.processedBatches, messages: consumed(topics.processedBatches) },
      { topic: topics.alerts, messages: consumed(topics.alerts) },
      { topic: topics.deadLetter, messages: consumed(topics.deadLetter, rejected) },
    ]);
    const decoded = await decode(group);
    if (decoded.kind !== 'ok') throw new Error(decoded.reason);
    const projection = projectSensorGroup(decoded.value);
    expect(projection.readings).toHaveLength(31);
    expect(projection.readings.at(-1)).toMatchObject({ assessment: 'anomaly', zScore: 6, value: 236 });
    expect(projection.alerts).toEqual([
      expect.objectContaining({ severity: 'CRITICAL', zScore: 6, mean: 230, stddev: 1, baselineCount: 30 }),
    ]);
    expect(projection.batchReadings.map((b) => [b.seq, b.decision])).toEqual([
      ...Array.from({ length: 31 }, (_, i) => [i, 'accepted']),
      [31, 'deduped'],
      [32, 'rejected'],
    ]);
    expect(projection.batchReadings.at(-1)).toMatchObject({ readingId: null, reason: 'MISSING_FIELD' });
    const [outcome] = projection.outcomes;
    expect(projection.outcomes).toHaveLength(1);
    expect(outcome).toMatchObject({ batchId: 'job-1', batchSize: 33 });
    // The alert its spike raised: the job's default answer waits for the alert lane too.
    expect(outcome?.alertIds).toEqual(projection.alerts.map((a) => a.alertId));
    expect(outcome?.alertIds).toHaveLength(1);
    expect(outcome?.decisions.filter((d) => d.decision === 'deduped')).toEqual([
      { seq: 31, decision: 'deduped', eventId: 'R-30' },
    ]);
    // Deterministic: the same records give the same rows (what makes a replayed insert deduplicate).
    expect(projectSensorGroup(decoded.value)).toEqual(projection);
  });

  test('decisions written one per record to sensor.readings (before the batches) project the same', async () => {
    const { consumed } = await processedJob();
    const decode = createDecodeSensorGroupStep({ codecs, topics, badRecordPolicy: 'dead-letter', log });
    const batch = await codecs.processedBatches.decode(consumed(topics.processedBatches)[0]?.value as Buffer);
    if (!batch.ok) throw new Error(batch.error);
    const single = batch.value.readings.map(
      (r, i) =>
        ({
          key: Buffer.from(r.reading.equipmentId),
          value: codecs.processed.encode(r),
          offset: String(i),
          timestamp: String(t0 + 61_000),
        }) as ConsumedMessage,
    );
    const fromBatches = await decode(
      groupOf([{ topic: topics.processedBatches, messages: consumed(topics.processedBatches) }]),
    );
    const fromSingles = await decode(groupOf([{ topic: topics.processed, messages: single }]));
    if (fromBatches.kind !== 'ok' || fromSingles.kind !== 'ok') throw new Error('not decoded');
    expect(fromSingles.value.processed).toHaveLength(32);
    expect(fromSingles.value.processed.map((r) => r.value)).toEqual(
      fromBatches.value.processed.map((r) => r.value),
    );
    expect(projectSensorGroup(fromSingles.value)).toEqual(projectSensorGroup(fromBatches.value));
    // A batch's decisions carry the offset of their record; the old topic's, their own.
    expect(new Set(fromBatches.value.processed.map((r) => r.offset))).toEqual(new Set(['0']));
    expect(fromSingles.value.processed.at(-1)?.offset).toBe('31');
  });

  test('apply: one insert per table with the group token, outcomes, parked records, then the commit', async () => {
    const { consumed } = await processedJob();
    const { writer, inserts } = fakeWriter();
    const calls: string[] = [];
    const outcomes: OutcomeRecord[] = [];
    const visibleAlerts: string[] = [];
    const timed: string[] = [];
    const alertLatencies: { stage: string; seconds: number }[] = [];
    const apply = createApplySensorGroupStep({
      writer,
      decodeGroup: createDecodeSensorGroupStep({ codecs, topics, badRecordPolicy: 'dead-letter', log }),
      codecs,
      topics,
      publish: async (t) => {
        calls.push(`publish ${t.map((x) => `${x.topic}:${x.messages.length}`).join()}`);
      },
      commitOffsets: async (o) => {
        calls.push(`commit ${o.map((x) => `${x.topic}:${x.offset}`).join()}`);
      },
      retry: (_what, work) => work(),
      log,
      onOutcomes: (o) => outcomes.push(...o),
      onAlertsVisible: (ids) => visibleAlerts.push(...ids),
      metrics: {
        projector: {
          ...noMetrics.projector,
          inserted: (i) => timed.push(`${i.table}:${i.rows}`),
        },
        sensor: { alertReached: (stage, seconds) => alertLatencies.push({ stage, seconds }) },
      },
    });
    const resolution = codecs.resolutions.encode({
      v: 1,
      alertId: '0123456789abcdef0123456789abcdef',
      resolvedBy: 'anonymous',
      note: null,
      resolvedAt: t0,
    });
    const group = groupOf([
      {
        topic: topics.processedBatches,
        messages: consumed(topics.processedBatches, [Buffer.from('{garbage')]),
      },
      { topic: topics.alerts, messages: consumed(topics.alerts) },
      { topic: topics.resolutions, messages: consumed(topics.resolutions, [resolution]) },
    ]);
    const result = await apply({ group, heartbeat: async () => {} });
    expect(result).toMatchObject({ kind: 'ok', value: { invalidRecords: 1, outcomes: 1, records: 35 } });
    const token = groupToken(group);
    expect(token).toMatch(/^g1000\|/);
    // Alerts first: what a reader waits for is not left behind the bulk readings insert.
    expect(inserts).toEqual([
      { table: 'sensor_alerts', token: `${token}:salerts`, rows: 1 },
      { table: 'sensor_readings', token: `${token}:sreadings`, rows: 31 },
      { table: 'sensor_alert_resolutions', token: `${token}:sresolutions`, rows: 1 },
      { table: 'sensor_batch_readings', token: `${token}:sbatches`, rows: 32 },
    ]);
    expect(calls).toEqual([
      `publish ${topics.deadLetter}:1`,
      `commit ${topics.processedBatches}:2,${topics.alerts}:1,${topics.resolutions}:1`,
    ]);
    expect(outcomes[0]?.decisions).toHaveLength(32);
    expect(visibleAlerts).toHaveLength(1);
    // Each insert timed (/metrics), and the alert's time from receivedAt to visible.
    expect(timed).toEqual([
      'sensor_alerts:1',
      'sensor_readings:31',
      'sensor_alert_resolutions:1',
      'sensor_batch_readings:32',
    ]);
    expect(alertLatencies.map((l) => l.stage)).toEqual(['recorded', 'visible']);
    expect(alertLatencies[0]?.seconds).toBeGreaterThan(0);
    expect(alertLatencies[1]?.seconds).toBeGreaterThanOrEqual(alertLatencies[0]?.seconds ?? Number.NaN);
  });

  test('apply on the alert lane (sensor.alerts only): one alerts insert, the ids reported, no outcome', async () => {
    const { consumed } = await processedJob();
    const { writer, inserts } = fakeWriter();
    const calls: string[] = [];
    const visibleAlerts: string[] = [];
    const outcomes: OutcomeRecord[] = [];
    const apply = createApplySensorGroupStep({
      writer,
      decodeGroup: createDecodeSensorGroupStep({ codecs, topics, badRecordPolicy: 'dead-letter', log }),
      codecs,
      topics,
      publish: async () => void calls.push('publish'),
      commitOffsets: async (o) => void calls.push(`commit ${o.map((x) => `${x.topic}:${x.offset}`).join()}`),
      retry: (_what, work) => work(),
      log,
      onOutcomes: (o) => outcomes.push(...o),
      onAlertsVisible: (ids) => visibleAlerts.push(...ids),
    });
    const group = groupOf([{ topic: topics.alerts, messages: consumed(topics.alerts) }]);
    const result = await apply({ group, heartbeat: async () => {} });
    expect(result).toMatchObject({ kind: 'ok', value: { changeRows: 1, outcomes: 0, records: 1 } });
    expect(inserts).toEqual([{ table: 'sensor_alerts', token: `${groupToken(group)}:salerts`, rows: 1 }]);
    expect(visibleAlerts).toEqual([expect.stringMatching(/^[0-9a-f]{32}$/)]);
    expect(outcomes).toEqual([]);
    expect(calls).toEqual([`commit ${topics.alerts}:1`]);
  });

  test('apply with the stop policy: an undecodable record writes nothing and commits nothing', async () => {
    const { writer, inserts } = fakeWriter();
    const calls: string[] = [];
    const apply = createApplySensorGroupStep({
      writer,
      decodeGroup: createDecodeSensorGroupStep({ codecs, topics, badRecordPolicy: 'stop', log }),
      codecs,
      topics,
      publish: async () => void calls.push('publish'),
      commitOffsets: async () => void calls.push('commit'),
      retry: (_what, work) => work(),
      log,
    });
    const bad = { key: null, value: Buffer.from('{x'), offset: '0', timestamp: '0' } as ConsumedMessage;
    const result = await apply({
      group: groupOf([{ topic: topics.alerts, messages: [bad] }]),
      heartbeat: async () => {},
    });
    expect(result).toMatchObject({ kind: 'dlq', reason: expect.stringContaining(`${topics.alerts}[0]@0`) });
    expect(inserts).toEqual([]);
    expect(calls).toEqual([]);
  });
});
