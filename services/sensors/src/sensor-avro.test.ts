// The sensor records against their checked-in .avsc files (no registry: the codec is built with a
// fixed schema id). Every sample must be valid for its schema and come back identical, so a field
// the TypeScript record has and the schema lacks (or the reverse) fails here.
import { loadSensorAvroSchema, type SensorAvroRecordKind } from '@shopfloor/contracts';
import { createAvroRecordCodec } from '@shopfloor/schema-registry';
import {
  type AlertRecord,
  isIdentityKey,
  type ProcessedReadingRecord,
  RollingWindow,
  SensorProcessor,
} from '@shopfloor/sensors';
import avro from 'avsc';
import { describe, expect, test } from 'vitest';
import { intakeReadings } from './reading-intake.ts';

const t0 = Date.parse('2026-03-01T10:00:00Z');
const intake = intakeReadings(
  [
    {
      readingId: 'R-1',
      equipmentId: 'EQ-1',
      sensorType: 'voltage',
      value: 230.5,
      timestamp: '2026-03-01T10:00:00Z',
    },
    {
      equipmentId: 'EQ-1',
      sensorType: 'pressure',
      value: -1,
      unit: 'psi',
      timestamp: '2026-03-01T11:00:00+01:00',
    },
    { equipmentId: 'EQ-1', sensorType: 'humidity' },
  ],
  t0 + 60_000,
  'job-1',
);
const processor = new SensorProcessor({ windowSize: 4, minWindow: 2, thresholdSigma: 3 });
for (const r of intake.raw) processor.process(r.reading, r.receivedAt);
const alert: AlertRecord = {
  v: 1,
  alertId: '0123456789abcdef0123456789abcdef',
  readingKey: 'id\u001fR-9',
  readingId: 'R-9',
  equipmentId: 'EQ-1',
  sensorType: 'voltage',
  value: 236,
  unit: 'volt',
  timestamp: '2026-03-01T10:00:31Z',
  timestampMs: t0 + 31_000,
  receivedAt: t0 + 60_000,
  severity: 'CRITICAL',
  zScore: 6,
  mean: 230,
  stddev: 1,
  baselineCount: 30,
  thresholdSigma: 3,
};
const processed = (assessment: ProcessedReadingRecord['assessment']): ProcessedReadingRecord => ({
  v: 1,
  readingKey: 'id\u001fR-1',
  batchId: 'job-1',
  seq: 0,
  batchSize: 3,
  receivedAt: t0 + 60_000,
  reading: intake.raw[0]!.reading,
  assessment,
  zScore: assessment === 'anomaly' ? -4.5 : null,
  alertId: assessment === 'anomaly' ? alert.alertId : null,
});

const changes = processor.drainChanges();
const samples: Record<SensorAvroRecordKind, unknown[]> = {
  raw: intake.raw,
  state: [
    ...changes.filter((c) => !isIdentityKey(c.key)).map((c) => c.value),
    // A whole window, as the changelog held it before the runs (still read by a restore).
    { v: 1, window: new RollingWindow(3).snapshot(), slots: null, readingTs: null, identities: null },
  ],
  identities: [
    ...changes.filter((c) => isIdentityKey(c.key)).map((c) => c.value),
    // One identity per record, as written before the packs (and still with a state horizon).
    { v: 1, window: null, slots: null, readingTs: t0, identities: null },
  ],
  processed: [processed('warming-up'), processed('anomaly'), processed('duplicate')],
  processedBatches: [
    { v: 1, readings: [processed('warming-up'), processed('anomaly'), processed('duplicate')] },
  ],
  alerts: [alert, { ...alert, zScore: null, readingId: null }],
  resolutions: [
    { v: 1, alertId: alert.alertId, resolvedBy: 'k_0123', note: 'fan replaced', resolvedAt: t0 },
    { v: 1, alertId: alert.alertId, resolvedBy: 'anonymous', note: null, resolvedAt: t0 },
  ],
  deadLetter: [
    ...intake.rejected,
    { ...intake.rejected[0]!, batchId: null, seq: null, batchSize: null, reason: 'UNDECODABLE_RECORD' },
  ],
};

describe('sensor records match their checked-in .avsc', () => {
  test.each(
    Object.keys(samples) as SensorAvroRecordKind[],
  )('%s: valid, and round-trips unchanged', async (kind) => {
    const type = avro.Type.forSchema(loadSensorAvroSchema(kind) as avro.Schema);
    const codec = createAvroRecordCodec<unknown>({
      subject: `${kind}-value`,
      schemaId: 7,
      type,
      writerSchema: () => Promise.reject(new Error('no registry in a unit test')),
    });
    expect(samples[kind].length).toBeGreaterThan(0);
    for (const record of samples[kind]) {
      const invalid: string[] = [];
      type.isValid(record, { errorHook: (path) => invalid.push(path.join('.')) });
      expect(invalid, `${kind}: fields the schema rejects`).toEqual([]);
      expect(await codec.decode(codec.encode(record))).toEqual({ ok: true, value: record });
    }
  });

  test('window runs and a whole window are in the state samples, seen identities in their own', () => {
    const state = samples.state as { window: unknown; slots: unknown }[];
    expect(state.filter((s) => s.slots !== null).length).toBeGreaterThan(0);
    expect(state.filter((s) => s.window !== null)).toHaveLength(1);
    const identities = samples.identities as {
      window: unknown;
      slots: unknown;
      identities: unknown[] | null;
    }[];
    expect(identities.filter((s) => s.identities !== null).map((s) => s.identities?.length)).toEqual([2]);
    expect(identities.every((s) => s.window === null && s.slots === null)).toBe(true);
  });
});
