import type {
  OpenAlertSeverityRow,
  SensorAlertPageRow,
  SensorSeriesRow,
  TimeRange,
} from '@shopfloor/clickhouse';
import { alertAnswer, equipmentStatus, SEVERITIES } from '@shopfloor/sensors';
import {
  type AlertView,
  EQUIPMENT_STATUS_KEYS,
  type MetricEventsView,
  type SensorStreamView,
} from './snapshot-types.ts';
import type { MetricEventsDashboardPorts, SensorDashboardPorts } from './stream-dashboard-ports.ts';

/** Alerts per list, and clients in the top list (the API routes are asked with the same limits). */
export const ALERT_LIMIT = 10;
export const TOP_CLIENTS_LIMIT = 10;

/** The fields of the `/api/alerts/…` answer (the query service's own mapping) the panels show. */
function alertView(row: SensorAlertPageRow): AlertView {
  const { alertId, equipmentId, sensorType, severity, status, value, zScore, raisedAt } = alertAnswer(row);
  return { alertId, equipmentId, sensorType, severity, status, value, zScore, raisedAt };
}

/**
 * Equipment per status: every piece of equipment with a series (registered by its first reading),
 * its status the package's rule over the severities of its open alerts, as `/api/equipment` does.
 */
export function equipmentCounts(
  series: readonly SensorSeriesRow[],
  openSeverities: readonly OpenAlertSeverityRow[],
): SensorStreamView['equipment'] {
  const open = new Map<string, Set<(typeof SEVERITIES)[number]>>();
  for (const row of openSeverities) {
    if (row.openCount <= 0) continue;
    const set = open.get(row.equipmentId) ?? new Set();
    open.set(row.equipmentId, set.add(row.severity));
  }
  const counts = {
    total: 0,
    ...Object.fromEntries(EQUIPMENT_STATUS_KEYS.map((k) => [k, 0])),
  } as SensorStreamView['equipment'];
  for (const equipmentId of new Set(series.map((s) => s.equipmentId))) {
    const severities = open.get(equipmentId) ?? new Set();
    counts[equipmentStatus(SEVERITIES.filter((s) => severities.has(s)))]++;
    counts.total++;
  }
  return counts;
}

export async function sensorStreamView(ports: SensorDashboardPorts): Promise<SensorStreamView> {
  const [{ series, openSeverities }, critical, recent] = await Promise.all([
    ports.equipment(),
    ports.alerts({ openCriticalOnly: true, limit: ALERT_LIMIT }),
    ports.alerts({ openCriticalOnly: false, limit: ALERT_LIMIT }),
  ]);
  return {
    equipment: equipmentCounts(series, openSeverities),
    criticalAlerts: critical.map(alertView),
    recentAlerts: recent.map(alertView),
  };
}

export async function metricEventsView(
  ports: MetricEventsDashboardPorts,
  range: TimeRange,
): Promise<MetricEventsView> {
  const [processed, failedByReason, top] = await Promise.all([
    ports.processed(range),
    ports.failedByReason(range),
    ports.topClients(range, TOP_CLIENTS_LIMIT),
  ]);
  return {
    processed,
    failed: failedByReason.reduce((sum, r) => sum + r.events, 0),
    failedByReason,
    topClients: top.map((c) => ({
      clientId: c.clientId,
      count: c.count,
      totalAmount: String(c.totalAmount),
    })),
  };
}
