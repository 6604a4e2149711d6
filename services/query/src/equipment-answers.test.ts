import type { OpenAlertSeverityRow, SensorAlertPageRow, SensorSeriesRow } from '@shopfloor/clickhouse';
import { storedAlert } from '@shopfloor/sensors/testing';
import { describe, expect, test } from 'vitest';
import { openAlertCounts } from './alert-answers.ts';
import { equipmentList, equipmentStatusAnswer, equipmentSummary } from './equipment-answers.ts';

const t0 = Date.parse('2026-03-01T10:00:00Z');

const series = (
  equipmentId: string,
  sensorType: string,
  over: Partial<SensorSeriesRow> = {},
): SensorSeriesRow => ({
  equipmentId,
  sensorType,
  firstReceivedMs: t0,
  lastReceivedMs: t0 + 60_000,
  firstReadingMs: t0 - 5,
  lastReadingMs: t0 + 59_995,
  readingsCount: 10,
  value: 21.5,
  unit: 'celsius',
  assessment: 'normal',
  zScore: 0.25,
  ...over,
});

const open = (equipmentId: string, severity: OpenAlertSeverityRow['severity'], openCount = 1) => ({
  equipmentId,
  severity,
  openCount,
});

const alertRow = (over: Partial<SensorAlertPageRow> = {}): SensorAlertPageRow => ({
  ...storedAlert(),
  readingKey: 'r:R-1',
  ...over,
});

describe('equipment status (the rule of @shopfloor/sensors, applied to the open alerts)', () => {
  test.each([
    [[], 'OK'],
    [[open('EQ-1', 'LOW')], 'WARNING'],
    [[open('EQ-1', 'LOW', 3), open('EQ-1', 'MEDIUM')], 'WARNING'],
    [[open('EQ-1', 'LOW'), open('EQ-1', 'CRITICAL')], 'CRITICAL'],
    [[open('EQ-1', 'CRITICAL', 0)], 'OK'],
  ] as const)('open alerts %j: %s', (severities, status) => {
    expect(equipmentSummary([series('EQ-1', 'pressure')], severities).status).toBe(status);
  });

  test('a summary spans the sensors: earliest registration, latest sight, summed readings', () => {
    const summary = equipmentSummary(
      [
        series('EQ-1', 'pressure', {
          firstReceivedMs: t0 + 1_000,
          lastReceivedMs: t0 + 9_000,
          lastReadingMs: t0 + 8_000,
          readingsCount: 2,
        }),
        series('EQ-1', 'temperature', {
          firstReceivedMs: t0,
          lastReceivedMs: t0 + 5_000,
          lastReadingMs: t0 + 20_000,
        }),
      ],
      [open('EQ-1', 'LOW', 2)],
    );
    expect(summary).toEqual({
      equipmentId: 'EQ-1',
      status: 'WARNING',
      sensorTypes: ['pressure', 'temperature'],
      registeredAt: '2026-03-01T10:00:00.000Z',
      lastSeen: '2026-03-01T10:00:09.000Z',
      lastReadingAt: '2026-03-01T10:00:20.000Z',
      readingsCount: 12,
      openAlertCounts: { LOW: 2, MEDIUM: 0, CRITICAL: 0 },
    });
  });
});

test('the list groups the series per equipment, sorts by id and filters by status', () => {
  const rows = [series('EQ-2', 'pressure'), series('EQ-1', 'pressure'), series('EQ-3', 'voltage')];
  const severities = [open('EQ-2', 'CRITICAL'), open('EQ-3', 'LOW')];
  expect(equipmentList(rows, severities).map((e) => [e.equipmentId, e.status])).toEqual([
    ['EQ-1', 'OK'],
    ['EQ-2', 'CRITICAL'],
    ['EQ-3', 'WARNING'],
  ]);
  expect(equipmentList(rows, severities, 'WARNING').map((e) => e.equipmentId)).toEqual(['EQ-3']);
  expect(equipmentList(rows, severities, 'OK').map((e) => e.equipmentId)).toEqual(['EQ-1']);
});

test('the status answer lists the latest value per sensor and the open alerts; none for unknown equipment', () => {
  expect(equipmentStatusAnswer([], [], [])).toBeNull();
  const answer = equipmentStatusAnswer(
    [series('EQ-1', 'temperature')],
    [open('EQ-1', 'MEDIUM')],
    [alertRow()],
  );
  expect(answer?.status).toBe('WARNING');
  expect(answer?.sensors).toEqual([
    {
      sensorType: 'temperature',
      value: 21.5,
      unit: 'celsius',
      timestamp: '2026-03-01T10:00:59.995Z',
      assessment: 'normal',
      zScore: 0.25,
      readingsCount: 10,
      lastSeen: '2026-03-01T10:01:00.000Z',
    },
  ]);
  expect(answer?.openAlerts.map((a) => a.alertId)).toEqual(['a-1']);
});

test('openAlertCounts counts per severity, zeros included', () => {
  expect(openAlertCounts([])).toEqual({ LOW: 0, MEDIUM: 0, CRITICAL: 0 });
  expect(openAlertCounts([open('EQ-1', 'CRITICAL', 2), open('EQ-1', 'LOW', 1)])).toEqual({
    LOW: 1,
    MEDIUM: 0,
    CRITICAL: 2,
  });
});
