import { describe, expect, test } from 'vitest';
import { historyBucket, minuteWindow, productionMetrics, sensorTypesAnswer } from './metrics-answers.ts';

const t = (iso: string) => Date.parse(iso);
const HOUR = 3_600_000;

test('minuteWindow floors both ends to whole minutes', () => {
  expect(minuteWindow(t('2026-03-01T10:00:59.999Z'), t('2026-03-01T10:05:00.001Z'))).toEqual({
    fromMs: t('2026-03-01T10:00:00Z'),
    toMs: t('2026-03-01T10:05:00Z'),
  });
});

describe('productionMetrics', () => {
  const window = { fromMs: t('2026-03-01T09:30:00Z'), toMs: t('2026-03-01T11:30:00Z') };

  test('every hour the window touches, rates against its whole minutes', () => {
    const m = productionMetrics(
      window,
      [
        { hourMs: t('2026-03-01T09:00:00Z'), readings: 60, anomalies: 3 },
        { hourMs: t('2026-03-01T11:00:00Z'), readings: 180, anomalies: 0 },
      ],
      [
        { equipmentId: 'EQ-1', readings: 240, anomalies: 3, minutesWithReadings: 60 },
        { equipmentId: 'EQ-2', readings: 0, anomalies: 0, minutesWithReadings: 0 },
      ],
    );
    expect(m).toEqual({
      from: '2026-03-01T09:30:00.000Z',
      to: '2026-03-01T11:30:00.000Z',
      windowMinutes: 120,
      readings: 240,
      anomalies: 3,
      anomalyRate: 3 / 240,
      readingsPerHour: 120,
      hours: [
        { hour: '2026-03-01T09:00:00.000Z', readings: 60, anomalies: 3 },
        { hour: '2026-03-01T10:00:00.000Z', readings: 0, anomalies: 0 },
        { hour: '2026-03-01T11:00:00.000Z', readings: 180, anomalies: 0 },
      ],
      equipment: [
        {
          equipmentId: 'EQ-1',
          readings: 240,
          anomalies: 3,
          anomalyRate: 3 / 240,
          minutesWithReadings: 60,
          minutesWithReadingsShare: 0.5,
        },
        {
          equipmentId: 'EQ-2',
          readings: 0,
          anomalies: 0,
          anomalyRate: 0,
          minutesWithReadings: 0,
          minutesWithReadingsShare: 0,
        },
      ],
    });
  });

  test('an empty window has no hours and zero rates (no division by zero)', () => {
    const at = t('2026-03-01T10:00:30Z');
    const m = productionMetrics({ fromMs: at, toMs: at + 10_000 }, [], []);
    expect(m).toMatchObject({ windowMinutes: 0, readings: 0, anomalyRate: 0, readingsPerHour: 0, hours: [] });
  });

  test('a window ending on an hour does not list that hour', () => {
    const m = productionMetrics(
      { fromMs: t('2026-03-01T10:00:00Z'), toMs: t('2026-03-01T10:00:00Z') + 2 * HOUR },
      [],
      [],
    );
    expect(m.hours.map((h) => h.hour)).toEqual(['2026-03-01T10:00:00.000Z', '2026-03-01T11:00:00.000Z']);
  });
});

test('sensorTypesAnswer lists the four types with their default units, zeros for unseen ones', () => {
  expect(sensorTypesAnswer([{ sensorType: 'pressure', equipmentCount: 2, readingsCount: 7 }])).toEqual([
    { sensorType: 'temperature', defaultUnit: 'celsius', equipmentCount: 0, readingsCount: 0 },
    { sensorType: 'vibration', defaultUnit: 'mm/s', equipmentCount: 0, readingsCount: 0 },
    { sensorType: 'pressure', defaultUnit: 'bar', equipmentCount: 2, readingsCount: 7 },
    { sensorType: 'voltage', defaultUnit: 'volt', equipmentCount: 0, readingsCount: 0 },
  ]);
});

test('historyBucket answers the bucket start as an ISO instant', () => {
  expect(
    historyBucket({ bucket: '2026-03-01T10:05:00Z', count: 2, min: 1, avg: 2, max: 3, anomalies: 1 }),
  ).toEqual({ start: '2026-03-01T10:05:00.000Z', count: 2, min: 1, avg: 2, max: 3, anomalies: 1 });
});
