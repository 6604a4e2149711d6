import { ok } from '@shopfloor/contracts';
import type { PartitionStateStore } from '@shopfloor/dedupe';
import type { ConsumedMessage } from '@shopfloor/kafka';
import {
  decideMetricBatch,
  type FailedMetricEventRecord,
  METRIC_WIRE_VERSION,
  type MetricStateRecord,
  type RawMetricEventRecord,
} from '@shopfloor/metric-events';
import type { ProcessPartitionBatch, TopicMessages } from '@shopfloor/stream-runner';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricTopics } from './metric-topics.ts';

/** What one partition batch did. */
export type MetricBatchCounts = {
  processed: number;
  duplicates: number;
  failed: number;
  undecodable: number;
};

export type MetricStateStore = PartitionStateStore<MetricStateRecord>;

/**
 * One partition batch of metric.events.raw, in log order: decode (an undecodable record becomes a
 * failed record, UNDECODABLE_RECORD, never a throw), decide against the partition's processed
 * identities (pure, `decideMetricBatch`), and encode what the batch's transaction writes: the new
 * identities to metric.events.state and the decisions to metric.events.processed (both on the
 * input's partition), the failures to metric.events.failed. The store is untouched until the
 * transaction committed (`committed`), so a failed transaction leaves it as it was; only then are
 * the batch's counts reported.
 */
export function createProcessMetricEventsStep(deps: {
  codecs: MetricCodecs;
  topics: Pick<MetricTopics, 'state' | 'processed' | 'failed'>;
  /** What a committed batch did (the processor's counters). */
  onCommitted?: (counts: MetricBatchCounts) => void;
}): ProcessPartitionBatch<MetricStateStore, ConsumedMessage> {
  const { codecs, topics } = deps;
  return async function processMetricEvents(store, batch) {
    const { partition, messages } = batch;
    const records: RawMetricEventRecord[] = [];
    const undecodable: FailedMetricEventRecord[] = [];
    for (const m of messages) {
      const decoded = await codecs.raw.decode(m.value);
      if (decoded.ok) {
        records.push(decoded.value);
        continue;
      }
      undecodable.push({
        v: METRIC_WIRE_VERSION,
        requestId: `undecodable:${partition}:${m.offset}`,
        seq: 0,
        receivedAt: Number(m.timestamp),
        id: m.key?.toString('utf8') ?? null,
        clientId: null,
        reason: 'UNDECODABLE_RECORD',
        message: `raw partition ${partition} offset ${m.offset}: ${decoded.error}`,
        payloadJson: JSON.stringify(m.value?.toString('base64') ?? null),
      });
    }
    const { decisions, stateWrites } = decideMetricBatch((id) => store.get(id), records);
    const failed = [...undecodable];
    const processed: TopicMessages['messages'] = [];
    const counts: MetricBatchCounts = {
      processed: 0,
      duplicates: 0,
      failed: 0,
      undecodable: undecodable.length,
    };
    for (const d of decisions) {
      if (d.kind === 'failed') {
        failed.push(d.record);
        counts.failed++;
        continue;
      }
      if (d.kind === 'processed') counts.processed++;
      else counts.duplicates++;
      processed.push({ key: d.record.id, partition, value: codecs.processed.encode(d.record) });
    }
    const topicMessages = [
      {
        topic: topics.state,
        messages: stateWrites.map(([id, state]) => ({
          key: id,
          partition,
          value: codecs.state.encode(state),
        })),
      },
      { topic: topics.processed, messages: processed },
      {
        topic: topics.failed,
        messages: failed.map((f) => ({ key: f.id ?? f.requestId, value: codecs.failed.encode(f) })),
      },
    ].filter((t) => t.messages.length > 0);
    return ok({
      topicMessages,
      committed({ checkpoint }) {
        store.apply(stateWrites, checkpoint ?? store.checkpoint() ?? '0');
        deps.onCommitted?.(counts);
      },
    });
  };
}
