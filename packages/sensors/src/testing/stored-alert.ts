import type { StoredAlert } from '../alert-answer.ts';

/** A stored OPEN MEDIUM vibration alert raised at 2026-03-01T10:00:00Z, with `over` on top. */
export function storedAlert(over: Partial<StoredAlert> = {}): StoredAlert {
  const raisedAtMs = Date.parse('2026-03-01T10:00:00Z');
  return {
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
    readingMs: raisedAtMs - 5,
    raisedAtMs,
    status: 'OPEN',
    resolvedBy: null,
    resolutionNote: null,
    resolvedAtMs: null,
    ...over,
  };
}
