import { describe, expect, test } from 'vitest';
import { alertAnswer } from './alert-answer.ts';
import { storedAlert } from './testing/stored-alert.ts';

describe('alertAnswer', () => {
  test('instants become ISO strings, the other fields pass as they are; an open alert has no resolution', () => {
    const row = storedAlert();
    const stored = ['readingMs', 'raisedAtMs', 'resolvedBy', 'resolutionNote', 'resolvedAtMs'];
    const same = Object.fromEntries(Object.entries(row).filter(([field]) => !stored.includes(field)));
    expect(alertAnswer(row)).toEqual({
      ...same,
      readingTimestamp: '2026-03-01T09:59:59.995Z',
      raisedAt: '2026-03-01T10:00:00.000Z',
      resolution: null,
    });
  });

  test('a resolved alert carries its first resolution', () => {
    const resolved = alertAnswer(
      storedAlert({
        status: 'RESOLVED',
        resolvedBy: 'ana',
        resolutionNote: 'valve',
        resolvedAtMs: Date.parse('2026-03-01T10:01:00Z'),
      }),
    );
    expect(resolved.resolution).toEqual({
      resolvedBy: 'ana',
      note: 'valve',
      resolvedAt: '2026-03-01T10:01:00.000Z',
    });
  });

  test('a sensor type the processor never raises is a bug, not data', () => {
    expect(() => alertAnswer(storedAlert({ sensorType: 'humidity' }))).toThrow(TypeError);
  });
});
