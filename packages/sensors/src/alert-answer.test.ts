import { describe, expect, test } from 'vitest';
import { alertAnswer, type StoredAlert } from './alert-answer.ts';

const t0 = Date.parse('2026-03-01T10:00:00Z');

const alertRow = (over: Partial<StoredAlert> = {}): StoredAlert => ({
  alertId: 'a-1',
  readingId: 'R-1',
  equipmentId: 'EQ-1',
  sensorType: 'vibration',
  severity: 'MEDIUM',
  value: 40,
  unit: 'mm/s',
  zScore: 4.5,
  mean: 10,
  stddev: 1,
  baselineCount: 30,
  readingMs: t0 - 5,
  raisedAtMs: t0,
  status: 'OPEN',
  resolvedBy: null,
  resolutionNote: null,
  resolvedAtMs: null,
  ...over,
});

describe('alertAnswer', () => {
  test('instants become ISO strings; an open alert has no resolution', () => {
    expect(alertAnswer(alertRow())).toEqual({
      alertId: 'a-1',
      equipmentId: 'EQ-1',
      sensorType: 'vibration',
      severity: 'MEDIUM',
      status: 'OPEN',
      value: 40,
      unit: 'mm/s',
      zScore: 4.5,
      mean: 10,
      stddev: 1,
      baselineCount: 30,
      readingId: 'R-1',
      readingTimestamp: '2026-03-01T09:59:59.995Z',
      raisedAt: '2026-03-01T10:00:00.000Z',
      resolution: null,
    });
  });

  test('a resolved alert carries its first resolution', () => {
    const resolved = alertAnswer(
      alertRow({ status: 'RESOLVED', resolvedBy: 'ana', resolutionNote: 'valve', resolvedAtMs: t0 + 60_000 }),
    );
    expect(resolved.resolution).toEqual({
      resolvedBy: 'ana',
      note: 'valve',
      resolvedAt: '2026-03-01T10:01:00.000Z',
    });
  });

  test('a sensor type the processor never raises is a bug, not data', () => {
    expect(() => alertAnswer(alertRow({ sensorType: 'humidity' }))).toThrow(TypeError);
  });
});
