import type { Severity } from './anomaly-detector.ts';
import type { SensorType } from './reading.ts';

export const SENSOR_WIRE_VERSION = 1;

/**
 * An alert raised by one reading (value of `sensor.alerts`, keyed by equipmentId). Plain record:
 * every field a string, number or null, so it maps to an Avro record one to one.
 */
export type AlertRecord = {
  v: number;
  alertId: string;
  readingKey: string;
  readingId: string | null;
  equipmentId: string;
  sensorType: SensorType;
  value: number;
  unit: string;
  timestamp: string;
  timestampMs: number;
  receivedAt: number;
  severity: Severity;
  /** null when the baseline had zero stddev (see the detector). */
  zScore: number | null;
  mean: number;
  stddev: number;
  /** Readings in the baseline the reading was judged against. */
  baselineCount: number;
  thresholdSigma: number;
};

/** Resolving an alert is an event in the log, so it survives a rebuild. Idempotent per alertId. */
export type AlertResolutionRecord = {
  v: number;
  alertId: string;
  resolvedBy: string;
  note: string | null;
  resolvedAt: number;
};

export const EQUIPMENT_STATUSES = ['OK', 'WARNING', 'CRITICAL'] as const;
export type EquipmentStatus = (typeof EQUIPMENT_STATUSES)[number];

/** CRITICAL with an open CRITICAL alert, WARNING with any other open alert, OK without one. */
export function equipmentStatus(openAlertSeverities: Iterable<Severity>): EquipmentStatus {
  let status: EquipmentStatus = 'OK';
  for (const severity of openAlertSeverities) {
    if (severity === 'CRITICAL') return 'CRITICAL';
    status = 'WARNING';
  }
  return status;
}
