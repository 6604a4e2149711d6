import type { SensorAlertRow } from '../sensor-alerts.ts';
import type { SensorReadingRow } from '../sensor-readings.ts';

/**
 * A processed reading for tests of the sensor tables and routes: what a test does not name is a
 * plausible value (the unit follows the type, an anomaly carries an alert id and a large z-score).
 */
export function sampleSensorReadingRow(r: {
  id: string;
  equipmentId: string;
  sensorType: string;
  value: number;
  atMs: number;
  anomaly?: boolean;
}): SensorReadingRow {
  const anomaly = r.anomaly ?? false;
  return {
    readingKey: `k-${r.id}`,
    readingId: `R-${r.id}`,
    equipmentId: r.equipmentId,
    sensorType: r.sensorType,
    value: r.value,
    unit: r.sensorType === 'pressure' ? 'bar' : 'celsius',
    timestampMs: r.atMs,
    receivedAt: r.atMs + 5,
    assessment: anomaly ? 'anomaly' : 'normal',
    zScore: anomaly ? 6 : 0.5,
    alertId: anomaly ? `a-${r.id}` : null,
  };
}

/**
 * An alert for tests, raised (received) at `raisedAt`: a vibration alert whose z-score is null when
 * CRITICAL (a spike on a flat baseline), unless `overrides` say otherwise.
 */
export function sampleSensorAlertRow(
  alertId: string,
  equipmentId: string,
  severity: SensorAlertRow['severity'],
  raisedAt: number,
  overrides: Partial<SensorAlertRow> = {},
): SensorAlertRow {
  return {
    alertId,
    readingKey: `k-${alertId}`,
    readingId: null,
    equipmentId,
    sensorType: 'vibration',
    severity,
    value: 40,
    unit: 'mm/s',
    zScore: severity === 'CRITICAL' ? null : 3.5,
    mean: 10,
    stddev: 1,
    baselineCount: 30,
    timestampMs: raisedAt - 5,
    receivedAt: raisedAt,
    ...overrides,
  };
}
