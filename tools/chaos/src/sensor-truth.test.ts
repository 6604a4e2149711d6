import { alertIdFor, readingKey } from '@shopfloor/sensors';
import { describe, expect, it } from 'vitest';
import { NO_READING_ID, SensorTruth, sensorMinuteKey } from './sensor-truth.ts';
import { SensorWorkload } from './sensor-workload.ts';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const config = { windowSize: 10, minWindow: 4, thresholdSigma: 3 };
const at = (s: number) => new Date(T0 + s * 1000).toISOString();
const reading = (s: number, value: number, readingId?: string) => ({
  ...(readingId ? { readingId } : {}),
  equipmentId: 'EQ-1',
  sensorType: 'temperature',
  value,
  timestamp: at(s),
});

/** A baseline of 9 and 11 alternating: mean 10, population stddev 1. */
function warmedUp(): SensorTruth {
  const truth = new SensorTruth(config);
  for (let s = 0; s < 4; s++) truth.feed(reading(s, s % 2 === 0 ? 9 : 11, `r${s}`), T0);
  return truth;
}

describe('SensorTruth: the pure core replayed over the posted readings', () => {
  it('raises one alert of the severity of |z| for a spike past the warm-up, and none before it', () => {
    const truth = new SensorTruth(config);
    expect(truth.feed(reading(0, 100, 'early'), T0)).toEqual({ rejected: false, alertId: null });
    const t = warmedUp();
    const spike = t.feed(reading(10, 15.5, 'spike'), T0);
    const key = readingKey({
      readingId: 'spike',
      equipmentId: 'EQ-1',
      sensorType: 'temperature',
      timestampMs: 0,
    });
    expect(spike.alertId).toBe(alertIdFor(key));
    expect(t.alerts.get(spike.alertId!)).toEqual({
      equipmentId: 'EQ-1',
      sensorType: 'temperature',
      severity: 'CRITICAL',
      readingKey: key,
    });
    expect(t.readings.get(key)?.assessment).toBe('anomaly');
    // z = 4.5: MEDIUM; the spike did not enter the baseline, so the mean is still 10.
    expect(t.alerts.get(t.feed(reading(11, 14.5, 'medium'), T0).alertId!)?.severity).toBe('MEDIUM');
  });

  it('counts a re-sent reading (by readingId, or id-less by instant even with another value) once, with no alert', () => {
    const t = warmedUp();
    const first = t.feed(reading(20, 30), T0);
    expect(first.alertId).not.toBeNull();
    expect(t.feed(reading(20, 31), T0)).toEqual({ rejected: false, alertId: null });
    expect(t.feed(reading(0, 9, 'r0'), T0)).toEqual({ rejected: false, alertId: null });
    expect(t.duplicates).toBe(2);
    expect(t.readings.size).toBe(5);
    expect(t.alerts.size).toBe(1);
  });

  it('leaves rejected readings out of every expectation', () => {
    const t = new SensorTruth(config);
    expect(t.feed({ ...reading(0, 1), sensorType: 'humidity' }, T0)).toEqual({
      rejected: true,
      alertId: null,
    });
    expect(t.rejected).toBe(1);
    expect(t.readings.size).toBe(0);
  });

  it('sums the minute rollup and answers the equipment status (latest reading, open alerts per severity)', () => {
    const t = warmedUp();
    const spike = t.feed(reading(70, 16, 'spike'), T0).alertId!;
    t.feed(reading(71, 14.2, 'low'), T0);
    expect(t.minutes.get(sensorMinuteKey('EQ-1', 'temperature', T0))).toEqual({
      readings: 4,
      anomalies: 0,
      min: 9,
      max: 11,
    });
    expect(t.minutes.get(sensorMinuteKey('EQ-1', 'temperature', T0 + 60_000))).toEqual({
      readings: 2,
      anomalies: 2,
      min: 14.2,
      max: 16,
    });
    t.resolved.add(spike);
    const status = t.equipment('EQ-1');
    expect(status.sensors.get('temperature')).toEqual({
      readingsCount: 6,
      value: 14.2,
      assessment: 'anomaly',
    });
    expect(status.openAlertCounts).toEqual({ LOW: 0, MEDIUM: 1, CRITICAL: 0 });
  });
});

describe('SensorTruth: what the harness sent, bounding the rows it may have caused', () => {
  it('expects 1..PATCHes sent resolution rows per acknowledged alert, with the note and principal sent', () => {
    const t = warmedUp();
    const a = t.feed(reading(20, 30, 'a'), T0).alertId!;
    const b = t.feed(reading(21, 30, 'b'), T0).alertId!;
    const sent = { note: 'n', resolvedBy: 'anonymous' };
    t.resolutionAttempt(a, sent);
    t.resolved.add(a);
    // b: a connection reset, a 404 and then the 200: three PATCHes, any of which may have landed.
    for (let i = 0; i < 3; i++) t.resolutionAttempt(b, sent);
    t.resolved.add(b);
    expect(t.expectedResolutionRows()).toEqual(
      new Map([
        [a, { rows: { min: 1, max: 1 }, note: 'n', resolvedBy: 'anonymous' }],
        [b, { rows: { min: 1, max: 3 }, note: 'n', resolvedBy: 'anonymous' }],
      ]),
    );
    expect(() => t.resolutionAttempt(a, { ...sent, note: 'other' })).toThrow(/another note/);
  });

  it('expects none for an alert never PATCHed, and 0.. for one whose PATCHes were never acknowledged', () => {
    const t = warmedUp();
    const a = t.feed(reading(20, 30, 'a'), T0).alertId!;
    expect(t.alerts.has(a)).toBe(true);
    expect(t.expectedResolutionRows().size).toBe(0);
    t.resolutionAttempt(a, { note: null, resolvedBy: 'anonymous' });
    expect(t.expectedResolutionRows().get(a)).toEqual({
      rows: { min: 0, max: 1 },
      note: null,
      resolvedBy: 'anonymous',
    });
  });

  it('expects each rejection once per POST of its batch at most, per readingId and id-less together', () => {
    const t = new SensorTruth(config);
    const bad = (s: number, readingId?: string) => ({ ...reading(s, 1, readingId), sensorType: 'humidity' });
    const first = t.feedBatch([reading(0, 9, 'ok'), bad(1, 'x1'), bad(2), bad(3)], T0);
    expect(first.fed.map((f) => f.rejected)).toEqual([false, true, true, true]);
    const second = t.feedBatch([bad(4, 'x2'), bad(5)], T0);
    expect([first.batch, second.batch]).toEqual([0, 1]);
    t.batchAttempt(first.batch); // answered
    t.batchAttempt(second.batch); // reset: may or may not have been published
    t.batchAttempt(second.batch); // answered
    expect(t.batchAttempts).toEqual([1, 2]);
    expect(t.expectedRejectionRows()).toEqual(
      new Map([
        ['x1', { rows: { min: 1, max: 1 }, reasons: 'INVALID_SENSOR_TYPE' }],
        [NO_READING_ID, { rows: { min: 3, max: 4 }, reasons: 'INVALID_SENSOR_TYPE' }],
        ['x2', { rows: { min: 1, max: 2 }, reasons: 'INVALID_SENSOR_TYPE' }],
      ]),
    );
    expect(t.rejected).toBe(5);
  });
});

describe('SensorWorkload', () => {
  it('is a function of its seed, and never gives two fresh id-less readings of one series the same instant', () => {
    const a = new SensorWorkload('t', 7, ['E1', 'E2']);
    const b = new SensorWorkload('t', 7, ['E1', 'E2']);
    const batches = Array.from({ length: 20 }, () => a.batch(50));
    expect(Array.from({ length: 20 }, () => b.batch(50))).toEqual(batches);
    const truth = new SensorTruth(config);
    for (const batch of batches) for (const r of batch) truth.feed(r, Date.now());
    // Every non-copy is a new reading: fresh = accepted rows; copies and invalid ones are not.
    expect(truth.readings.size).toBe(a.counts.fresh);
    expect(truth.duplicates).toBe(a.counts.duplicates);
    expect(truth.rejected).toBe(a.counts.invalid);
    expect(a.counts.withoutId).toBeGreaterThan(0);
    expect(a.counts.spikes).toBeGreaterThan(0);
    expect(truth.alerts.size).toBeGreaterThan(0);
  });
});
