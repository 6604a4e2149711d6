import type { ConsumedMessage } from '@shopfloor/kafka';
import { type ProcessedReadingRecord, SensorProcessor } from '@shopfloor/sensors';
import { describe, expect, it } from 'vitest';
import { createProcessReadingsStep } from './process-readings-step.ts';
import { intakeReadings } from './reading-intake.ts';
import { jsonSensorCodecs } from './sensor-codecs.ts';
import { sensorTopics } from './sensor-topics.ts';

const codecs = jsonSensorCodecs();
const topics = sensorTopics('t.');
const t0 = Date.parse('2026-03-01T10:00:00Z');
const config = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };

function messagesOf(readings: unknown[]): ConsumedMessage[] {
  const intake = intakeReadings(readings, t0 + 60_000, 'batch-1');
  return intake.raw.map((r, i) => ({
    key: Buffer.from(r.reading.equipmentId),
    value: codecs.raw.encode(r),
    offset: String(i),
    timestamp: String(t0),
    attributes: 0,
    headers: {},
  })) as ConsumedMessage[];
}

const reading = (i: number, value: number) => ({
  readingId: `R-${i}`,
  equipmentId: 'EQ-1',
  sensorType: 'voltage',
  value,
  timestamp: new Date(t0 + i).toISOString(),
});

describe('processReadings', () => {
  it('writes state, every decision and alerts to the input partition, and parks undecodable records', async () => {
    const step = createProcessReadingsStep({ codecs, topics });
    const processor = new SensorProcessor(config);
    const baseline = Array.from({ length: 30 }, (_, i) => reading(i, i % 2 === 0 ? 229 : 231));
    const garbage = {
      key: Buffer.from('EQ-1'),
      value: Buffer.from('{nope'),
      offset: '99',
      timestamp: String(t0),
    };
    const messages = [
      ...messagesOf([...baseline, reading(30, 236), reading(30, 236)]),
      garbage as ConsumedMessage,
    ];
    const result = await step(processor, 3, messages);
    expect(result.kind).toBe('ok');
    if (result.kind !== 'ok') return;
    const {
      topicMessages,
      processed,
      duplicates,
      undecodable,
      alerts,
      stateRecords,
      windowRecords,
      stateBytes,
    } = result.value;
    expect({ processed, duplicates, undecodable }).toEqual({ processed: 31, duplicates: 1, undecodable: 1 });
    // The 31 new reading identities in one pack (no horizon) and the one series' window as three
    // runs of ten positions (the 30 baseline readings; the spike stays out of it).
    expect({ stateRecords, windowRecords }).toEqual({ stateRecords: 4, windowRecords: 3 });
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ severity: 'CRITICAL', zScore: 6, mean: 230, stddev: 1 });

    const byTopic = new Map(topicMessages.map((t) => [t.topic, t.messages]));
    expect([...byTopic.keys()]).toEqual([
      topics.state,
      topics.identities,
      topics.processedBatches,
      topics.alerts,
      topics.deadLetter,
    ]);
    for (const topic of [topics.state, topics.identities, topics.processedBatches, topics.alerts]) {
      expect(byTopic.get(topic)?.every((m) => m.partition === 3)).toBe(true);
    }
    // The three runs to the compacted state, the 31 new identities to their write-once changelog
    // (one record, keyed by the first one's identity), and the bytes counted are theirs.
    const windowMessages = byTopic.get(topics.state) ?? [];
    const identityMessages = byTopic.get(topics.identities) ?? [];
    expect(windowMessages.map((m) => String(m.key).startsWith('s\u001f'))).toEqual([true, true, true]);
    expect(identityMessages).toHaveLength(1);
    expect(stateBytes).toBe(
      [...windowMessages, ...identityMessages].reduce(
        (n, m) => n + Buffer.byteLength(String(m.key)) + (m.value as Buffer).length,
        0,
      ),
    );
    // Every decision of the batch in one record, without a key.
    const batches = byTopic.get(topics.processedBatches) ?? [];
    expect(batches).toHaveLength(1);
    expect(batches[0]?.key).toBeNull();
    const batch = await codecs.processedBatches.decode(batches[0]?.value as Buffer);
    if (!batch.ok) throw new Error(batch.error);
    const decided: ProcessedReadingRecord[] = batch.value.readings;
    // 31 accepted and the re-sent spike as a duplicate, each with its place in the request.
    expect(decided).toHaveLength(32);
    const pack = await codecs.identities.decode(identityMessages[0]?.value as Buffer);
    if (!pack.ok) throw new Error(pack.error);
    expect(String(identityMessages[0]?.key)).toBe(`p\u001f${decided[0]?.readingKey}`);
    expect(pack.value.identities).toEqual(
      decided.slice(0, 31).map((d) => ({ key: d.readingKey, readingTs: d.reading.timestampMs })),
    );
    expect(decided.filter((a) => a.assessment === 'warming-up')).toHaveLength(30);
    expect(decided.at(-2)).toMatchObject({ assessment: 'anomaly', zScore: 6, alertId: alerts[0]?.alertId });
    expect(decided.at(-1)).toMatchObject({
      assessment: 'duplicate',
      zScore: null,
      alertId: null,
      seq: 31,
      batchSize: 32,
      readingKey: decided.at(-2)?.readingKey,
    });
    const parked = await codecs.deadLetter.decode(byTopic.get(topics.deadLetter)?.[0]?.value as Buffer);
    expect(parked).toMatchObject({ ok: true, value: { reason: 'UNDECODABLE_RECORD', payloadJson: '{nope' } });
  });

  it('with a state horizon, each new identity is a record of its own, keyed by it (so a tombstone can reclaim it)', async () => {
    const step = createProcessReadingsStep({ codecs, topics });
    const processor = new SensorProcessor(config, { horizonMs: 86_400_000, sweepIntervalMs: 60_000 });
    const result = await step(processor, 0, messagesOf([reading(1, 230), reading(2, 231)]));
    if (result.kind !== 'ok') throw new Error('not ok');
    const identities = result.value.topicMessages.find((t) => t.topic === topics.identities)?.messages ?? [];
    expect(identities.map((m) => String(m.key))).toEqual(['id\u001fR-1', 'id\u001fR-2']);
    expect(result.value.stateRecords).toBe(3); // the two identities and the window's run
  });

  it('a batch of duplicates changes no state and raises nothing: it writes only their decisions', async () => {
    const step = createProcessReadingsStep({ codecs, topics });
    const processor = new SensorProcessor(config);
    await step(processor, 0, messagesOf([reading(1, 230)]));
    const again = await step(processor, 0, messagesOf([reading(1, 230)]));
    expect(again).toMatchObject({ kind: 'ok', value: { processed: 0, duplicates: 1, alerts: [] } });
    if (again.kind !== 'ok') return;
    expect(again.value.topicMessages.map((t) => [t.topic, t.messages.length])).toEqual([
      [topics.processedBatches, 1],
    ]);
  });
});

describe('intakeReadings', () => {
  it('splits a batch into raw records and rejections with their index', () => {
    const intake = intakeReadings([reading(1, 1), { equipmentId: 'E' }, reading(2, Number.NaN)], t0, 'b');
    expect(intake.raw.map((r) => [r.seq, r.batchSize, r.reading.readingId])).toEqual([[0, 3, 'R-1']]);
    expect(intake.rejections).toEqual([
      { index: 1, readingId: null, reason: 'MISSING_FIELD' },
      { index: 2, readingId: 'R-2', reason: 'INVALID_VALUE' },
    ]);
    expect(intake.rejected[0]).toMatchObject({
      batchId: 'b',
      seq: 1,
      batchSize: 3,
      reason: 'MISSING_FIELD',
      payloadJson: '{"equipmentId":"E"}',
    });
  });
});
