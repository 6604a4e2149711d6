import type { SensorAlertPageRow, SensorSeriesRow, TimeRange } from '@shopfloor/clickhouse';
import { describe, expect, it } from 'vitest';
import type { DashboardPorts } from './dashboard-ports.ts';
import { dashboardWindow } from './dashboard-window.ts';
import { buildSnapshot } from './snapshot.ts';
import type { MetricEventsDashboardPorts, SensorDashboardPorts } from './stream-dashboard-ports.ts';
import { equipmentCounts } from './stream-snapshot.ts';

const NOW = Date.UTC(2026, 2, 1, 10, 30, 25, 500);

const series = (equipmentId: string, sensorType = 'vibration'): SensorSeriesRow => ({
  equipmentId,
  sensorType,
  firstReceivedMs: NOW - 60_000,
  lastReceivedMs: NOW,
  firstReadingMs: NOW - 60_000,
  lastReadingMs: NOW,
  readingsCount: 40,
  value: 4.2,
  unit: 'mm/s',
  assessment: 'normal',
  zScore: 0.1,
});

const alert = (alertId: string, severity: SensorAlertPageRow['severity']): SensorAlertPageRow => ({
  alertId,
  readingKey: `rk-${alertId}`,
  readingId: null,
  equipmentId: 'EQ-1',
  sensorType: 'vibration',
  severity,
  value: 5.3,
  unit: 'mm/s',
  zScore: 5.5,
  mean: 4.2,
  stddev: 0.2,
  baselineCount: 40,
  readingMs: NOW - 1_000,
  raisedAtMs: NOW - 500,
  status: 'OPEN',
  resolvedBy: null,
  resolutionNote: null,
  resolvedAtMs: null,
});

/** Ports of the events panels that answer nothing: these tests look at the streams' sections. */
const eventsPorts: DashboardPorts = {
  outcomeTotals: async () => [],
  outcomeBuckets: async () => [],
  machines: async () => [],
  factoryIds: async () => [],
  topDefectLines: async () => [],
  deadLetters: async () => [],
  consumerLag: async () => [],
};

describe('equipment per status', () => {
  it('applies the status rule to the severities of each piece of equipment’s open alerts', () => {
    const counts = equipmentCounts(
      [series('EQ-1'), series('EQ-1', 'temperature'), series('EQ-2'), series('EQ-3'), series('EQ-4')],
      [
        { equipmentId: 'EQ-1', severity: 'LOW', openCount: 2 },
        { equipmentId: 'EQ-1', severity: 'CRITICAL', openCount: 1 },
        { equipmentId: 'EQ-2', severity: 'MEDIUM', openCount: 1 },
        { equipmentId: 'EQ-3', severity: 'CRITICAL', openCount: 0 },
      ],
    );
    expect(counts).toEqual({ total: 4, OK: 2, WARNING: 1, CRITICAL: 1 });
  });
});

describe('the snapshot’s stream sections', () => {
  it('reads the sensor panels with the API’s limits and the metric panels over the dashboard window', async () => {
    const alertCalls: unknown[] = [];
    const sensors: SensorDashboardPorts = {
      equipment: async () => ({
        series: [series('EQ-1'), series('EQ-2')],
        openSeverities: [{ equipmentId: 'EQ-1', severity: 'CRITICAL', openCount: 1 }],
      }),
      alerts: async (q) => {
        alertCalls.push(q);
        return q.openCriticalOnly
          ? [alert('a-2', 'CRITICAL')]
          : [alert('a-2', 'CRITICAL'), alert('a-1', 'LOW')];
      },
    };
    const ranges: TimeRange[] = [];
    const metricEvents: MetricEventsDashboardPorts = {
      processed: async (range) => {
        ranges.push(range);
        return 12;
      },
      failedByReason: async () => [
        { reason: 'NOT_AN_INTEGER', events: 2 },
        { reason: 'SIMULATED_FAILURE', events: 1 },
      ],
      topClients: async (_range, limit) => {
        expect(limit).toBe(10);
        // Beyond 2^53: the exact amount travels as a string.
        return [{ clientId: 'c-1', count: 3, totalAmount: 9_007_199_254_740_993n }];
      },
    };
    const s = await buildSnapshot({ ...eventsPorts, sensors, metricEvents }, { window: '15m' }, NOW, 3_000);
    expect(alertCalls).toEqual([
      { openCriticalOnly: true, limit: 10 },
      { openCriticalOnly: false, limit: 10 },
    ]);
    expect(s.sensors).toEqual({
      ok: true,
      data: {
        equipment: { total: 2, OK: 1, WARNING: 0, CRITICAL: 1 },
        criticalAlerts: [expect.objectContaining({ alertId: 'a-2', severity: 'CRITICAL', zScore: 5.5 })],
        recentAlerts: [
          expect.objectContaining({ alertId: 'a-2', raisedAt: new Date(NOW - 500).toISOString() }),
          expect.objectContaining({ alertId: 'a-1', severity: 'LOW', status: 'OPEN' }),
        ],
      },
    });
    expect(ranges).toEqual([dashboardWindow('15m', NOW)]);
    expect(s.metricEvents).toEqual({
      ok: true,
      data: {
        processed: 12,
        failed: 3,
        failedByReason: [
          { reason: 'NOT_AN_INTEGER', events: 2 },
          { reason: 'SIMULATED_FAILURE', events: 1 },
        ],
        topClients: [{ clientId: 'c-1', count: 3, totalAmount: '9007199254740993' }],
      },
    });
  });

  it('a stream the process does not serve, or a read that fails, is an error in its section only', async () => {
    const off = await buildSnapshot(eventsPorts, { window: '1h' }, NOW, 3_000);
    expect(off.sensors).toEqual({ ok: false, error: expect.stringContaining('SHOPFLOOR_SENSORS=0') });
    expect(off.metricEvents).toEqual({ ok: false, error: expect.stringContaining('not served') });
    expect(off.lag.ok).toBe(true);
    const failing = await buildSnapshot(
      {
        ...eventsPorts,
        sensors: {
          equipment: async () => Promise.reject(new Error('ClickHouse is down')),
          alerts: async () => [],
        },
      },
      { window: '1h' },
      NOW,
      3_000,
    );
    expect(failing.sensors).toEqual({ ok: false, error: 'ClickHouse is down' });
    expect(failing.ingest.ok).toBe(true);
  });
});
