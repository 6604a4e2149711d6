// What the sensor tables and routes must hold after a run: the pure core of @shopfloor/sensors
// (validation, identity, the rolling z-score) replayed over every posted reading in the order each
// client first generated them. Each client owns its equipment and posts sequentially, so that order
// is the per-equipment order of the log (a retried batch only adds duplicates after it), and the
// detector is per (equipment, sensor): the replay decides exactly what the processor decided.
import { type DetectorConfig, SensorProcessor, type Severity, validateReading } from '@shopfloor/sensors';

export type ExpectedReading = {
  equipmentId: string;
  sensorType: string;
  value: number;
  timestampMs: number;
  assessment: 'warming-up' | 'normal' | 'anomaly';
  alertId: string | null;
};
export type ExpectedAlert = {
  equipmentId: string;
  sensorType: string;
  severity: Severity;
  readingKey: string;
};
export type SeriesTotals = { readings: number; anomalies: number; min: number; max: number };

const MINUTE = 60_000;
export const sensorMinuteKey = (equipmentId: string, sensorType: string, minuteMs: number) =>
  `${equipmentId} / ${sensorType} @ ${minuteMs}`;

export class SensorTruth {
  /** Accepted readings by reading key (duplicates and rejections are not rows). */
  readonly readings = new Map<string, ExpectedReading>();
  readonly alerts = new Map<string, ExpectedAlert>();
  /** Alerts resolved by an acknowledged PATCH. */
  readonly resolved = new Set<string>();
  /** sensor_minute_stats: per (equipment, sensor, minute). */
  readonly minutes = new Map<string, SeriesTotals>();
  duplicates = 0;
  rejected = 0;
  private readonly processor: SensorProcessor;

  constructor(config: DetectorConfig) {
    this.processor = new SensorProcessor(config);
  }

  /** Feeds one posted reading (in generation order); returns the alert id it raises, if any. */
  feed(input: unknown, receivedAtMs: number): { rejected: boolean; alertId: string | null } {
    const v = validateReading(input, receivedAtMs);
    if (!v.ok) {
      this.rejected++;
      return { rejected: true, alertId: null };
    }
    const outcome = this.processor.process(v.value, receivedAtMs);
    this.processor.drainChanges(); // the changelog is the pipeline's business; keep memory flat
    if (outcome.kind === 'duplicate') {
      this.duplicates++;
      return { rejected: false, alertId: null };
    }
    const r = v.value;
    const alertId = outcome.alert?.alertId ?? null;
    this.readings.set(outcome.readingKey, {
      equipmentId: r.equipmentId,
      sensorType: r.sensorType,
      value: r.value,
      timestampMs: r.timestampMs,
      assessment: outcome.assessment.kind,
      alertId,
    });
    if (outcome.alert) {
      const a = outcome.alert;
      this.alerts.set(a.alertId, {
        equipmentId: a.equipmentId,
        sensorType: a.sensorType,
        severity: a.severity,
        readingKey: a.readingKey,
      });
    }
    const key = sensorMinuteKey(r.equipmentId, r.sensorType, Math.floor(r.timestampMs / MINUTE) * MINUTE);
    const m = this.minutes.get(key) ?? { readings: 0, anomalies: 0, min: r.value, max: r.value };
    m.readings++;
    if (outcome.assessment.kind === 'anomaly') m.anomalies++;
    m.min = Math.min(m.min, r.value);
    m.max = Math.max(m.max, r.value);
    this.minutes.set(key, m);
    return { rejected: false, alertId };
  }

  /** Per equipment and sensor: the reading count, open alerts and the latest reading (max timestamp). */
  equipment(equipmentId: string): {
    sensors: Map<string, { readingsCount: number; value: number; assessment: string }>;
    openAlertCounts: Record<Severity, number>;
  } {
    const sensors = new Map<
      string,
      { readingsCount: number; value: number; assessment: string; ts: number }
    >();
    for (const r of this.readings.values()) {
      if (r.equipmentId !== equipmentId) continue;
      const s = sensors.get(r.sensorType);
      if (!s)
        sensors.set(r.sensorType, {
          readingsCount: 1,
          value: r.value,
          assessment: r.assessment,
          ts: r.timestampMs,
        });
      else {
        s.readingsCount++;
        if (r.timestampMs > s.ts)
          Object.assign(s, { value: r.value, assessment: r.assessment, ts: r.timestampMs });
      }
    }
    const openAlertCounts: Record<Severity, number> = { LOW: 0, MEDIUM: 0, CRITICAL: 0 };
    for (const [id, a] of this.alerts)
      if (a.equipmentId === equipmentId && !this.resolved.has(id)) openAlertCounts[a.severity]++;
    return {
      sensors: new Map([...sensors].map(([t, { ts: _ts, ...rest }]) => [t, rest])),
      openAlertCounts,
    };
  }
}
