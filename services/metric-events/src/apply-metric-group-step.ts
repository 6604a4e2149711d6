import {
  type ClickHouseWriter,
  insertMetricEvents,
  insertMetricFailedEvents,
  type MetricEventRow,
  type MetricFailedEventRow,
} from '@shopfloor/clickhouse';
import { ok, type StepResult } from '@shopfloor/contracts';
import {
  type AppliedGroup,
  allWritten,
  type DecodedRecord,
  decodeGroupRanges,
  decodeRange,
  type GroupToApply,
  groupToken,
  groupWriteStep,
  offsetsToCommit,
  type RetryWithHeartbeat,
} from '@shopfloor/group-projector';
import type { FailedMetricEventRecord, ProcessedMetricEventRecord } from '@shopfloor/metric-events';
import type { Logger } from 'pino';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';
import type { MetricOutcomeNotice } from './outcome-waiters.ts';

/** The dedup token suffix of each table (part of recorded groups' tokens: never change them). */
export const METRIC_TOKEN_SUFFIX = {
  metric_events: 'metric-events',
  metric_failed_events: 'metric-failed',
} as const;

/** What one group of processed + failed records becomes. */
export type MetricProjection = {
  events: MetricEventRow[];
  failed: MetricFailedEventRow[];
  outcomes: MetricOutcomeNotice[];
  undecodable: number;
};

/**
 * Decodes a group's records through the topics' codecs: a counted decision becomes a row of
 * metric_events, a duplicate only an outcome (it is never counted), a failed record a row of
 * metric_failed_events. Records that do not decode are counted and logged, never thrown.
 */
export async function projectMetricGroup(
  group: GroupToApply['group'],
  deps: {
    codecs: Pick<MetricCodecs, 'processed' | 'failed'>;
    topics: Pick<MetricTopics, 'processed' | 'failed'>;
    log: Logger;
  },
): Promise<MetricProjection> {
  const out: MetricProjection = { events: [], failed: [], outcomes: [], undecodable: 0 };
  const processed: DecodedRecord<ProcessedMetricEventRecord>[] = [];
  const failed: DecodedRecord<FailedMetricEventRecord>[] = [];
  // Never `stop`: an undecodable record is counted and logged, the group goes on.
  await decodeGroupRanges(
    group,
    'dead-letter',
    (range) =>
      range.topic === deps.topics.processed
        ? decodeRange(range, deps.codecs.processed, processed)
        : decodeRange(range, deps.codecs.failed, failed),
    ({ range, message, error }) => {
      out.undecodable++;
      deps.log.warn(
        { topic: range.topic, partition: range.partition, offset: message.offset, err: error },
        'undecodable record skipped',
      );
    },
  );
  for (const { value: r } of processed) {
    out.outcomes.push({
      requestId: r.requestId,
      seq: r.seq,
      id: r.id,
      status: 'processed',
      duplicate: r.duplicate,
    });
    if (r.duplicate) continue;
    out.events.push({
      id: r.id,
      clientId: r.clientId,
      source: r.source,
      metric: r.metric,
      amount: r.amount,
      timestampMs: r.timestampMs,
      receivedAt: r.receivedAt,
      requestId: r.requestId,
      seq: r.seq,
    });
  }
  for (const { value: f } of failed) {
    out.outcomes.push({ requestId: f.requestId, seq: f.seq, id: f.id, status: 'failed', reason: f.reason });
    out.failed.push({
      requestId: f.requestId,
      seq: f.seq,
      receivedAt: f.receivedAt,
      id: f.id,
      clientId: f.clientId,
      reason: f.reason,
      message: f.message,
      payloadJson: f.payloadJson,
    });
  }
  return out;
}

/**
 * The metric stream's apply step for the platform's group sink (services/projector): insert the
 * group's rows with tokens made of its recorded ranges (a re-applied group inserts nothing new,
 * in the rollup neither), hand the outcomes to the waiting requests, commit the offsets.
 */
export function createApplyMetricGroupStep(deps: {
  writer: ClickHouseWriter;
  codecs: Pick<MetricCodecs, 'processed' | 'failed'>;
  topics: Pick<MetricTopics, 'processed' | 'failed'>;
  commitOffsets: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>;
  retry: RetryWithHeartbeat;
  log: Logger;
  onOutcomes?: (outcomes: MetricOutcomeNotice[]) => void;
}) {
  const { writer, retry, log } = deps;
  return async function applyMetricGroup({
    group,
    heartbeat,
  }: GroupToApply): Promise<StepResult<AppliedGroup>> {
    const projection = await projectMetricGroup(group, deps);
    const token = groupToken(group);
    const step = groupWriteStep(retry, heartbeat, log);
    // Independent tables (one token each): inserted side by side on the embedded engine's sessions.
    // Rows built from records the codecs decoded (Avro types checked): no second check.
    await allWritten([
      step('insert into metric_events', () =>
        insertMetricEvents(writer, projection.events, {
          dedupToken: `${token}:${METRIC_TOKEN_SUFFIX.metric_events}`,
          validate: false,
        }),
      ),
      step('insert into metric_failed_events', () =>
        insertMetricFailedEvents(writer, projection.failed, {
          dedupToken: `${token}:${METRIC_TOKEN_SUFFIX.metric_failed_events}`,
          validate: false,
        }),
      ),
    ]);
    if (projection.outcomes.length > 0) deps.onOutcomes?.(projection.outcomes);
    await step('commit offsets', () => deps.commitOffsets(offsetsToCommit(group)));
    return ok({
      changeRows: projection.events.length + projection.failed.length,
      outcomes: projection.outcomes.length,
      invalidRecords: projection.undecodable,
    });
  };
}
