import { describe, expect, it } from 'vitest';
import { equipmentStatus } from './alert.ts';
import type { DetectorConfig } from './anomaly-detector.ts';
import type { SensorReading } from './reading.ts';
import { alertIdFor, readingKey } from './reading-identity.ts';
import { SensorProcessor } from './sensor-processor.ts';

const config: DetectorConfig = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };
const t0 = Date.parse('2026-03-01T10:00:00Z');

function reading(i: number, value: number, over: Partial<SensorReading> = {}): SensorReading {
  const timestampMs = t0 + i * 1_000;
  return {
    readingId: `R-${i}`,
    equipmentId: 'EQ-1',
    sensorType: 'vibration',
    value,
    unit: 'mm/s',
    timestamp: new Date(timestampMs).toISOString(),
    timestampMs,
    ...over,
  };
}

/** A processor whose EQ-1 vibration baseline is 30 readings alternating 9 and 11 (mean 10, stddev 1). */
function warmedUp(): SensorProcessor {
  const p = new SensorProcessor(config);
  for (let i = 0; i < 30; i++) p.process(reading(i, i % 2 === 0 ? 9 : 11), t0);
  return p;
}

describe('SensorProcessor', () => {
  it('raises one alert of the right severity for a spike, with a deterministic id', () => {
    const p = warmedUp();
    const out = p.process(reading(100, 14.5), t0 + 5);
    expect(out.kind).toBe('processed');
    if (out.kind !== 'processed') return;
    expect(out.alert).toMatchObject({
      alertId: alertIdFor(readingKey(reading(100, 14.5))),
      equipmentId: 'EQ-1',
      sensorType: 'vibration',
      severity: 'MEDIUM',
      zScore: 4.5,
      mean: 10,
      stddev: 1,
      baselineCount: 30,
      receivedAt: t0 + 5,
    });
  });

  it('raises nothing for a duplicate, by readingId or by (equipment, sensor, instant)', () => {
    const p = warmedUp();
    expect(p.process(reading(100, 20), t0).kind).toBe('processed');
    expect(p.process(reading(100, 20), t0)).toEqual({
      kind: 'duplicate',
      readingKey: readingKey(reading(100, 20)),
    });
    expect(p.process(reading(100, 99), t0).kind).toBe('duplicate');
    const anonymous = reading(200, 30, { readingId: null, timestamp: '2026-03-01T10:03:20Z' });
    expect(p.process(anonymous, t0).kind).toBe('processed');
    const sameInstantOtherSpelling = { ...anonymous, timestamp: '2026-03-01T11:03:20+01:00' };
    expect(p.process(sameInstantOtherSpelling, t0).kind).toBe('duplicate');
    expect(p.process({ ...anonymous, sensorType: 'pressure' }, t0).kind).toBe('processed');
  });

  it('keeps one window per (equipment, sensor type)', () => {
    const p = warmedUp();
    const other = p.process(reading(300, 1_000, { equipmentId: 'EQ-2' }), t0);
    expect(other).toMatchObject({ kind: 'processed', assessment: { kind: 'warming-up' }, alert: null });
    expect(p.windowOf('EQ-1', 'vibration')?.count).toBe(30);
    expect(p.windowOf('EQ-2', 'vibration')?.count).toBe(1);
  });

  it('changelogs each new identity and each changed window, then nothing until the next change', () => {
    const p = new SensorProcessor(config);
    p.process(reading(1, 10), t0);
    p.process(reading(2, 12), t0);
    const changes = p.drainChanges();
    expect(changes.map((c) => c.key)).toEqual([
      readingKey(reading(1, 10)),
      readingKey(reading(2, 12)),
      'w\u001fEQ-1\u001fvibration',
    ]);
    expect(changes[2]?.value?.window?.values).toEqual([10, 12]);
    expect(p.drainChanges()).toEqual([]);
  });

  it('decides identically after a restore from its changelog (and dedupes across it)', () => {
    const live = new SensorProcessor(config);
    const restored = new SensorProcessor(config);
    for (let i = 0; i < 60; i++) live.process(reading(i, 10 + Math.sin(i)), t0);
    for (const change of JSON.parse(JSON.stringify(live.drainChanges()))) restored.restore(change);
    expect(restored.process(reading(5, 10), t0).kind).toBe('duplicate');
    for (let i = 60; i < 90; i++) {
      const r = reading(i, i === 70 ? 40 : 10 + Math.cos(i));
      expect(restored.process(r, t0)).toEqual(live.process(r, t0));
    }
  });

  it('a replay of the same log raises the same alerts', () => {
    const log = Array.from({ length: 200 }, (_, i) =>
      reading(i, i % 37 === 36 ? 30 : 10 + Math.sin(i * 1.7)),
    );
    const run = () => {
      const p = new SensorProcessor(config);
      return log.flatMap((r) => {
        const out = p.process(r, t0);
        return out.kind === 'processed' && out.alert !== null ? [out.alert] : [];
      });
    };
    const first = run();
    expect(first.length).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });
});

describe('equipmentStatus', () => {
  it('is OK without open alerts, WARNING with LOW or MEDIUM ones, CRITICAL with a CRITICAL one', () => {
    expect(equipmentStatus([])).toBe('OK');
    expect(equipmentStatus(['LOW'])).toBe('WARNING');
    expect(equipmentStatus(['MEDIUM', 'LOW'])).toBe('WARNING');
    expect(equipmentStatus(['LOW', 'CRITICAL', 'MEDIUM'])).toBe('CRITICAL');
  });
});
