import type { OpenAlertSeverityRow, SensorAlertPageRow } from '@shopfloor/clickhouse';
import { formatInstant } from '@shopfloor/contracts';
import { isSensorType, type OpenAlertCounts, type SensorAlertAnswer } from '@shopfloor/sensors';

/**
 * A stored alert as the API answers it (instants as ISO strings, the resolution nested). The
 * processor only raises alerts of the four sensor types: another one is a bug (a 500), not data.
 */
export function alertAnswer(row: SensorAlertPageRow): SensorAlertAnswer {
  if (!isSensorType(row.sensorType))
    throw new TypeError(`alert ${row.alertId}: sensorType ${row.sensorType}`);
  return {
    alertId: row.alertId,
    equipmentId: row.equipmentId,
    sensorType: row.sensorType,
    severity: row.severity,
    status: row.status,
    value: row.value,
    unit: row.unit,
    zScore: row.zScore,
    mean: row.mean,
    stddev: row.stddev,
    baselineCount: row.baselineCount,
    readingId: row.readingId,
    readingTimestamp: formatInstant(row.readingMs),
    raisedAt: formatInstant(row.raisedAtMs),
    resolution:
      row.status === 'RESOLVED' && row.resolvedBy !== null && row.resolvedAtMs !== null
        ? {
            resolvedBy: row.resolvedBy,
            note: row.resolutionNote,
            resolvedAt: formatInstant(row.resolvedAtMs),
          }
        : null,
  };
}

/** The open alerts of one piece of equipment counted per severity (zeros included). */
export function openAlertCounts(rows: readonly OpenAlertSeverityRow[]): OpenAlertCounts {
  const counts: OpenAlertCounts = { LOW: 0, MEDIUM: 0, CRITICAL: 0 };
  for (const row of rows) counts[row.severity] += row.openCount;
  return counts;
}
