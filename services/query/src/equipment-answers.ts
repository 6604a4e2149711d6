import type { OpenAlertSeverityRow, SensorAlertPageRow, SensorSeriesRow } from '@shopfloor/clickhouse';
import { formatInstant } from '@shopfloor/contracts';
import {
  alertAnswer,
  type EquipmentStatusResponse,
  type EquipmentSummary,
  equipmentStatus,
  isSensorType,
  SEVERITIES,
} from '@shopfloor/sensors';
import { openAlertCounts } from './alert-answers.ts';

// Equipment answers from the per-sensor series and the open alerts' severities. The status is the
// package's rule (`equipmentStatus`), applied to the severities that have an open alert.

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/** One piece of equipment from its series (at least one) and its open alerts' severity counts. */
export function equipmentSummary(
  series: readonly SensorSeriesRow[],
  openSeverities: readonly OpenAlertSeverityRow[],
): EquipmentSummary {
  const first = series[0];
  if (!first) throw new RangeError('equipmentSummary needs at least one series');
  const counts = openAlertCounts(openSeverities);
  return {
    equipmentId: first.equipmentId,
    status: equipmentStatus(SEVERITIES.filter((s) => counts[s] > 0)),
    sensorTypes: series.map((s) => s.sensorType).filter(isSensorType),
    registeredAt: formatInstant(Math.min(...series.map((s) => s.firstReceivedMs))),
    lastSeen: formatInstant(Math.max(...series.map((s) => s.lastReceivedMs))),
    lastReadingAt: formatInstant(Math.max(...series.map((s) => s.lastReadingMs))),
    readingsCount: series.reduce((n, s) => n + s.readingsCount, 0),
    openAlertCounts: counts,
  };
}

/** Every piece of equipment (ordered by id), or only those in `status`. */
export function equipmentList(
  series: readonly SensorSeriesRow[],
  openSeverities: readonly OpenAlertSeverityRow[],
  status?: EquipmentSummary['status'],
): EquipmentSummary[] {
  const severitiesOf = groupBy(openSeverities, (r) => r.equipmentId);
  return [...groupBy(series, (r) => r.equipmentId)]
    .map(([equipmentId, rows]) => equipmentSummary(rows, severitiesOf.get(equipmentId) ?? []))
    .filter((e) => status === undefined || e.status === status)
    .sort((a, b) => (a.equipmentId < b.equipmentId ? -1 : a.equipmentId > b.equipmentId ? 1 : 0));
}

/** The status of one piece of equipment; null when it has no series (it never sent a reading). */
export function equipmentStatusAnswer(
  series: readonly SensorSeriesRow[],
  openSeverities: readonly OpenAlertSeverityRow[],
  newestOpenAlerts: readonly SensorAlertPageRow[],
): EquipmentStatusResponse | null {
  if (series.length === 0) return null;
  return {
    ...equipmentSummary(series, openSeverities),
    sensors: series.flatMap((s) =>
      isSensorType(s.sensorType)
        ? [
            {
              sensorType: s.sensorType,
              value: s.value,
              unit: s.unit,
              timestamp: formatInstant(s.lastReadingMs),
              assessment: s.assessment,
              zScore: s.zScore,
              readingsCount: s.readingsCount,
              lastSeen: formatInstant(s.lastReceivedMs),
            },
          ]
        : [],
    ),
    openAlerts: newestOpenAlerts.map(alertAnswer),
  };
}
