import {
  type FailedMetricEventRecord,
  METRIC_WIRE_VERSION,
  type MetricStateRecord,
  type ProcessedMetricEventRecord,
  type RawMetricEventRecord,
} from './metric-wire.ts';

/** What the processor decides for one raw record. */
export type MetricDecision =
  | { kind: 'processed'; record: ProcessedMetricEventRecord }
  | { kind: 'duplicate'; record: ProcessedMetricEventRecord }
  | { kind: 'failed'; record: FailedMetricEventRecord };

/** A write to the state of one identity (metric events are never deleted: no tombstones). */
export type MetricStateWrite = readonly [id: string, state: MetricStateRecord];

export type MetricBatchDecision = {
  decisions: MetricDecision[];
  /** One per identity first processed in this batch. */
  stateWrites: MetricStateWrite[];
};

function processedRecord(
  raw: RawMetricEventRecord,
  duplicate: boolean,
  processedBy: string,
): ProcessedMetricEventRecord {
  const { simulateFailure: _flag, ...rest } = raw;
  return { ...rest, v: METRIC_WIRE_VERSION, duplicate, processedBy };
}

/**
 * Decides every raw record of one partition's batch, in log order, against the identities already
 * processed (`seen`, the partition's state) and those processed earlier in the batch:
 * - identity already processed: `duplicate` (whatever its flag: the same id gets the same answer);
 * - `simulateFailure`: `failed` with SIMULATED_FAILURE, and NO state, so a later identical event
 *   without the flag is processed normally;
 * - otherwise `processed`, and the identity enters the state.
 * Pure: nothing is written; the caller commits the state writes with the outputs.
 */
export function decideMetricBatch(
  seen: (id: string) => MetricStateRecord | undefined,
  records: readonly RawMetricEventRecord[],
): MetricBatchDecision {
  const pending = new Map<string, MetricStateRecord>();
  const decisions = records.map((raw): MetricDecision => {
    const known = pending.get(raw.id) ?? seen(raw.id);
    if (known) return { kind: 'duplicate', record: processedRecord(raw, true, known.requestId) };
    if (raw.simulateFailure) {
      return {
        kind: 'failed',
        record: {
          v: METRIC_WIRE_VERSION,
          requestId: raw.requestId,
          seq: raw.seq,
          receivedAt: raw.receivedAt,
          id: raw.id,
          clientId: raw.clientId,
          reason: 'SIMULATED_FAILURE',
          message: 'processing failed on purpose (simulateFailure: true); the event is not counted',
          payloadJson: JSON.stringify(payloadOf(raw)),
        },
      };
    }
    pending.set(raw.id, { v: METRIC_WIRE_VERSION, requestId: raw.requestId, receivedAt: raw.receivedAt });
    return { kind: 'processed', record: processedRecord(raw, false, raw.requestId) };
  });
  return { decisions, stateWrites: [...pending] };
}

/** The event in the shape the client posted it (canonical timestamp), for a failed record. */
export function payloadOf(raw: RawMetricEventRecord) {
  return {
    client_id: raw.clientId,
    ...(raw.source === null ? {} : { source: raw.source }),
    payload: { metric: raw.metric, amount: raw.amount, timestamp: new Date(raw.timestampMs).toISOString() },
    ...(raw.simulateFailure ? { simulateFailure: true } : {}),
  };
}
