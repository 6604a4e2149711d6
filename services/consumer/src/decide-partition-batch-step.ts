import { ok } from '@shopfloor/contracts';
import { dedupeBatch, type HorizonSweeper, type PartitionStateStore } from '@shopfloor/dedupe';
import { type DedupeMetrics, noMetrics } from '@shopfloor/metrics';
import type { ProcessPartitionBatch, TopicMessages } from '@shopfloor/stream-runner';
import type { DecodeRawBatch } from './decode-raw-batch-step.ts';
import { countCommittedBatch, type DedupeCounters } from './dedupe-counters.ts';
import type { DecidedPartitionBatch } from './partition-batch-messages.ts';

export interface DecidePartitionBatchDeps {
  decodeRawBatch: DecodeRawBatch;
  sweepHorizon: HorizonSweeper;
  encodePartitionBatch: (batch: DecidedPartitionBatch) => TopicMessages[];
  counters: DedupeCounters;
  /** Where committed batches are reported (Prometheus). Default: nowhere. */
  metrics?: DedupeMetrics | undefined;
}

/**
 * The dedupe stream's step on a partition batch: decode (a dlq under the `stop` policy stops the
 * consumer), sweep the horizon (a failed winner lookup throws: nothing was decided, the batch is
 * decided again later), decide against the store and encode. The store is changed only once the
 * transaction committed, with the checkpoint it brought the changelog to.
 */
export function createDecidePartitionBatchStep(
  deps: DecidePartitionBatchDeps,
): ProcessPartitionBatch<PartitionStateStore> {
  const { counters } = deps;
  const metrics = deps.metrics ?? noMetrics.dedupe;
  return async function decidePartitionBatch(store, batch) {
    const { partition } = batch;
    const decoded = await deps.decodeRawBatch(partition, batch.messages);
    if (decoded.kind !== 'ok') return decoded;
    const { records, invalid } = decoded.value;
    const horizon = await deps.sweepHorizon(store, records);
    const decided = dedupeBatch(store, records, horizon);
    return ok({
      topicMessages: deps.encodePartitionBatch({ partition, ...decided, invalid }),
      committed({ checkpoint, transactionMs }) {
        decided.commit(checkpoint ?? store.checkpoint() ?? '0');
        const evicted = horizon.expire?.length ?? 0;
        const found = horizon.found?.size ?? 0;
        const records = batch.messages.length;
        countCommittedBatch(counters, {
          records,
          invalid: invalid.length,
          evicted,
          found,
          changes: decided.changes,
        });
        metrics.batchCommitted({
          records,
          decisions: decided.changes.map((c) => c.decision),
          invalid: invalid.length,
          evicted,
          found,
          transactionSeconds: transactionMs / 1000,
        });
      },
    });
  };
}
