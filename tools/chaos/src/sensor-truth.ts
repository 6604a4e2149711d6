// What the sensor tables and routes must hold after a run: the pure core of @shopfloor/sensors
// (validation, identity, the rolling z-score) replayed over every posted reading in the order each
// client first generated them. Each client owns its equipment and posts sequentially, so that order
// is the per-equipment order of the log (a retried batch only adds duplicates after it), and the
// detector is per (equipment, sensor): the replay decides exactly what the processor decided.
import {
  type DetectorConfig,
  type ReadingRejectionReason,
  SensorProcessor,
  type Severity,
  validateReading,
} from '@shopfloor/sensors';
import type { RowRange } from './diff.ts';

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
/** What the harness sent to resolve one alert: every PATCH attempt, answered or not, and its body. */
export type SentResolution = { attempts: number; note: string | null; resolvedBy: string };
/** A reading the webhook must reject, and the batch it was posted in (an index into `batchAttempts`). */
export type ExpectedRejection = { readingId: string | null; reason: ReadingRejectionReason; batch: number };
/** sensor_alert_resolutions for one alert: its row count and the earliest row's fields. */
export type ResolutionRows = { rows: number | RowRange; resolvedBy: string | null; note: string | null };
/** sensor_batch_readings' `rejected` rows for one readingId (or every id-less one): jobs and reasons. */
export type RejectionRows = { rows: number | RowRange; reasons: string };

/** The key of the id-less rejections, counted together (their rows carry no identity). */
export const NO_READING_ID = '(no readingId)';

const MINUTE = 60_000;
export const sensorMinuteKey = (equipmentId: string, sensorType: string, minuteMs: number) =>
  `${equipmentId} / ${sensorType} @ ${minuteMs}`;

export class SensorTruth {
  /** Accepted readings by reading key (duplicates and rejections are not rows). */
  readonly readings = new Map<string, ExpectedReading>();
  readonly alerts = new Map<string, ExpectedAlert>();
  /** Alerts resolved by an acknowledged PATCH. */
  readonly resolved = new Set<string>();
  /** Per alert the harness tried to resolve: the PATCH requests it sent and what they carried. */
  readonly resolutions = new Map<string, SentResolution>();
  /** Rejected readings in posting order, each with its batch. */
  readonly rejections: ExpectedRejection[] = [];
  /** Per batch fed with `feedBatch`: the POST attempts the harness made (each may have been published). */
  readonly batchAttempts: number[] = [];
  /** sensor_minute_stats: per (equipment, sensor, minute). */
  readonly minutes = new Map<string, SeriesTotals>();
  duplicates = 0;
  private readonly processor: SensorProcessor;

  /** Readings the webhook must reject. */
  get rejected(): number {
    return this.rejections.length;
  }

  constructor(config: DetectorConfig) {
    this.processor = new SensorProcessor(config);
  }

  /**
   * Feeds one batch (in generation order) before it is posted; `batch` names it to `batchAttempt`
   * (each POST of it) and to its rejections.
   */
  feedBatch(
    inputs: readonly unknown[],
    receivedAtMs: number,
  ): { batch: number; fed: { rejected: boolean; alertId: string | null }[] } {
    const batch = this.batchAttempts.push(0) - 1;
    return { batch, fed: inputs.map((input) => this.feed(input, receivedAtMs, batch)) };
  }

  /** One POST of `batch` is about to be sent. */
  batchAttempt(batch: number): void {
    this.batchAttempts[batch] = (this.batchAttempts[batch] ?? 0) + 1;
  }

  /** One PATCH resolving `alertId` is about to be sent, with this note, by this principal. */
  resolutionAttempt(alertId: string, sent: { note: string | null; resolvedBy: string }): void {
    const r = this.resolutions.get(alertId);
    if (r && (r.note !== sent.note || r.resolvedBy !== sent.resolvedBy))
      throw new Error(`alert ${alertId}: a PATCH with another note or principal than the earlier ones`);
    this.resolutions.set(alertId, { ...sent, attempts: (r?.attempts ?? 0) + 1 });
  }

  /**
   * Feeds one posted reading (in generation order); returns the alert id it raises, if any. A
   * rejection is remembered with `batch` (-1: fed outside a batch, never posted by a counted POST).
   */
  feed(input: unknown, receivedAtMs: number, batch = -1): { rejected: boolean; alertId: string | null } {
    const v = validateReading(input, receivedAtMs);
    if (!v.ok) {
      this.rejections.push({ readingId: v.readingId, reason: v.reason, batch });
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

  /**
   * sensor_alert_resolutions per alert: the resolver appends a record per PATCH that finds the alert
   * unresolved, so an alert has at most one row per PATCH the harness sent (a retry after a lost
   * answer may add one), at least one once a PATCH was acknowledged, none if never PATCHed; the
   * earliest row (the one every query shows) carries what the harness sent.
   */
  expectedResolutionRows(): Map<string, ResolutionRows> {
    return new Map(
      [...this.resolutions].map(([id, r]) => [
        id,
        {
          rows: { min: this.resolved.has(id) ? 1 : 0, max: r.attempts },
          resolvedBy: r.resolvedBy,
          note: r.note,
        },
      ]),
    );
  }

  /**
   * sensor_batch_readings' rejected rows, per readingId (id-less ones together under NO_READING_ID):
   * each POST of a batch that reached the webhook is a job of its own (a new batch id), so a
   * rejection has one row per such POST: at least one (its batch was acknowledged), at most its
   * batch's attempts; and the reasons the validation gives.
   */
  expectedRejectionRows(): Map<string, RejectionRows> {
    const byKey = new Map<string, { min: number; max: number; reasons: Set<string> }>();
    for (const r of this.rejections) {
      const key = r.readingId ?? NO_READING_ID;
      const e = byKey.get(key) ?? { min: 0, max: 0, reasons: new Set<string>() };
      e.min++;
      e.max += this.batchAttempts[r.batch] ?? 0;
      e.reasons.add(r.reason);
      byKey.set(key, e);
    }
    return new Map(
      [...byKey].map(([key, e]) => [
        key,
        { rows: { min: e.min, max: e.max }, reasons: [...e.reasons].sort().join(',') },
      ]),
    );
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
