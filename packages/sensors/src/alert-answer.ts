import { formatInstant } from '@shopfloor/contracts';
import type { Severity } from './anomaly-detector.ts';
import { isSensorType } from './reading.ts';
import type { SensorAlertAnswer } from './sensor-api.ts';

/** A stored alert as the alert queries read it (instants as epoch milliseconds, the resolution flat). */
export interface StoredAlert {
  alertId: string;
  equipmentId: string;
  sensorType: string;
  severity: Severity;
  status: 'OPEN' | 'RESOLVED';
  value: number;
  unit: string;
  zScore: number | null;
  mean: number;
  stddev: number;
  baselineCount: number;
  readingId: string | null;
  readingMs: number;
  raisedAtMs: number;
  resolvedBy: string | null;
  resolutionNote: string | null;
  resolvedAtMs: number | null;
}

/**
 * A stored alert as the API answers it (instants as ISO strings, the resolution nested): the query
 * service's alert routes and the dashboard's stream snapshot answer the same. The processor only
 * raises alerts of the four sensor types: another one is a bug (a 500), not data.
 */
export function alertAnswer(row: StoredAlert): SensorAlertAnswer {
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
