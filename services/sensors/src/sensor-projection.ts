import type {
  SensorAlertResolutionRow,
  SensorAlertRow,
  SensorBatchReadingRow,
  SensorReadingRow,
} from '@shopfloor/clickhouse';
import type { OutcomeDecision, OutcomeRecord } from '@shopfloor/contracts';
import type { DecodedRecord } from '@shopfloor/group-projector';
import type {
  AlertRecord,
  AlertResolutionRecord,
  ProcessedReadingRecord,
  SensorDeadLetterRecord,
} from '@shopfloor/sensors';

/** A group's decoded records of the four sensor topics the projector reads. */
export type DecodedSensorGroup = {
  processed: DecodedRecord<ProcessedReadingRecord>[];
  alerts: DecodedRecord<AlertRecord>[];
  resolutions: DecodedRecord<AlertResolutionRecord>[];
  deadLetters: DecodedRecord<SensorDeadLetterRecord>[];
};

/**
 * A job's decisions in a group, with the alerts they raised: its default answer promises those
 * alerts are visible too, and the alert projector (a lane of its own) inserts them.
 */
export type SensorJobOutcome = OutcomeRecord & { alertIds: string[] };

/** What a group of sensor records turns into: the rows of each table and the jobs' outcomes. */
export type SensorProjection = {
  readings: SensorReadingRow[];
  alerts: SensorAlertRow[];
  resolutions: SensorAlertResolutionRow[];
  batchReadings: SensorBatchReadingRow[];
  /** Accepted / deduped decisions per job, for the webhook's waiting requests (the tracker's record). */
  outcomes: SensorJobOutcome[];
};

/**
 * Pure and deterministic (the same records always give the same rows, which is what lets a replayed
 * insert deduplicate by its token). Duplicates never reach the readings table or its rollups: they
 * only complete their job's outcome. Undecodable raw records parked by the processor (no job) are
 * not part of any job.
 */
export function projectSensorGroup(group: DecodedSensorGroup): SensorProjection {
  const out: SensorProjection = {
    readings: [],
    alerts: [],
    resolutions: [],
    batchReadings: [],
    outcomes: [],
  };
  const byJob = new Map<string, SensorJobOutcome>();
  for (const { value: p, timestamp } of group.processed) {
    const duplicate = p.assessment === 'duplicate';
    if (p.assessment !== 'duplicate') {
      out.readings.push({
        readingKey: p.readingKey,
        readingId: p.reading.readingId,
        equipmentId: p.reading.equipmentId,
        sensorType: p.reading.sensorType,
        value: p.reading.value,
        unit: p.reading.unit,
        timestampMs: p.reading.timestampMs,
        receivedAt: p.receivedAt,
        assessment: p.assessment,
        zScore: p.zScore,
        alertId: p.alertId,
      });
    }
    const decision: OutcomeDecision = {
      seq: p.seq,
      decision: duplicate ? 'deduped' : 'accepted',
      eventId: p.reading.readingId,
    };
    out.batchReadings.push({
      batchId: p.batchId,
      seq: p.seq,
      batchSize: p.batchSize,
      readingId: p.reading.readingId,
      decision: decision.decision === 'deduped' ? 'deduped' : 'accepted',
      reason: '',
      recordedAt: timestamp,
    });
    let outcome = byJob.get(p.batchId);
    if (!outcome) {
      outcome = { v: 1, batchId: p.batchId, batchSize: p.batchSize, decisions: [], alertIds: [] };
      byJob.set(p.batchId, outcome);
    }
    outcome.decisions.push(decision);
    if (p.alertId !== null) outcome.alertIds.push(p.alertId);
  }
  for (const { value: a } of group.alerts) {
    out.alerts.push({
      alertId: a.alertId,
      readingKey: a.readingKey,
      readingId: a.readingId,
      equipmentId: a.equipmentId,
      sensorType: a.sensorType,
      severity: a.severity,
      value: a.value,
      unit: a.unit,
      zScore: a.zScore,
      mean: a.mean,
      stddev: a.stddev,
      baselineCount: a.baselineCount,
      timestampMs: a.timestampMs,
      receivedAt: a.receivedAt,
    });
  }
  for (const { value: r } of group.resolutions) {
    out.resolutions.push({
      alertId: r.alertId,
      resolvedBy: r.resolvedBy,
      note: r.note,
      resolvedAt: r.resolvedAt,
    });
  }
  for (const { value: d, timestamp } of group.deadLetters) {
    if (d.batchId === null || d.seq === null || d.batchSize === null) continue;
    out.batchReadings.push({
      batchId: d.batchId,
      seq: d.seq,
      batchSize: d.batchSize,
      readingId: d.readingId,
      decision: 'rejected',
      reason: d.reason,
      recordedAt: timestamp,
    });
  }
  out.outcomes = [...byJob.values()];
  return out;
}
