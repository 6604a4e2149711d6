import {
  type FailedMetricEventRecord,
  METRIC_WIRE_VERSION,
  type MetricRejectionReason,
  type RawMetricEventRecord,
  validateMetricEvent,
} from '@shopfloor/metric-events';

/** Per posted element: accepted for processing (with its id), or rejected at the edge. */
export type IntakeItem =
  | { seq: number; kind: 'accepted'; id: string }
  | {
      seq: number;
      kind: 'rejected';
      id: null;
      clientId: string | null;
      reason: MetricRejectionReason;
      message: string;
    };

/** One request's events split into what goes to metric.events.raw and what to metric.events.failed. */
export type MetricIntake = {
  requestId: string;
  items: IntakeItem[];
  raw: RawMetricEventRecord[];
  rejected: FailedMetricEventRecord[];
};

/**
 * Validates every posted element against the rules (packages/metric-events). `seq` is the element's
 * index in the request, so every record names its place; nothing a client sent is dropped: a
 * rejected element is a failed record with the exact text it was sent as.
 */
export function intakeMetricEvents(
  elements: readonly unknown[],
  options: { requestId: string; receivedAt: number; allowSimulatedFailures: boolean },
): MetricIntake {
  const { requestId, receivedAt } = options;
  const intake: MetricIntake = { requestId, items: [], raw: [], rejected: [] };
  elements.forEach((element, seq) => {
    const result = validateMetricEvent(element, options);
    if (result.ok) {
      const { id, event, simulateFailure } = result.value;
      intake.items.push({ seq, kind: 'accepted', id });
      intake.raw.push({
        v: METRIC_WIRE_VERSION,
        requestId,
        seq,
        receivedAt,
        id,
        clientId: event.clientId,
        source: event.source,
        metric: event.metric,
        amount: event.amount,
        timestampMs: event.timestampMs,
        simulateFailure,
      });
      return;
    }
    intake.items.push({
      seq,
      kind: 'rejected',
      id: null,
      clientId: result.clientId,
      reason: result.reason,
      message: result.message,
    });
    intake.rejected.push({
      v: METRIC_WIRE_VERSION,
      requestId,
      seq,
      receivedAt,
      id: null,
      clientId: result.clientId,
      reason: result.reason,
      message: result.message,
      payloadJson: JSON.stringify(element) ?? 'null',
    });
  });
  return intake;
}
