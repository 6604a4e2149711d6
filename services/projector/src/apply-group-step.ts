import {
  type ClickHouseWriter,
  insertBatchEvents,
  insertEventChanges,
  insertRejectedEvents,
} from '@shopfloor/clickhouse';
import { type OutcomeRecord, ok, type StepResult } from '@shopfloor/contracts';
import {
  type AppliedGroup,
  allWritten,
  type GroupToApply,
  groupToken,
  groupWriteStep,
  offsetsToCommit,
  type RangeGroup,
  type RetryWithHeartbeat,
} from '@shopfloor/group-projector';
import type { OutgoingMessage, ShopfloorCodecs } from '@shopfloor/kafka';
import { noMetrics, type ProjectorMetrics, type ProjectorTable } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import type { DecodedGroup } from './decode-group-step.ts';
import { projectChanges, projectDeadLetters } from './projection-batch.ts';

/** The dedup token suffix of each table a group is inserted into (a group inserts once per table). */
export const TABLE_TOKEN_SUFFIX = {
  event_changes: 'changes',
  rejected_events: 'rejected',
  batch_events: 'batches',
} as const;

export type ApplyGroupDeps = {
  writer: ClickHouseWriter;
  decodeGroup: (group: RangeGroup) => Promise<StepResult<DecodedGroup>>;
  codecs: Pick<ShopfloorCodecs, 'outcomes' | 'invalid'>;
  topics: { outcomes: string; invalid: string };
  /** Sends to several topics in one request (idempotent producer). */
  publish: (topicMessages: { topic: string; messages: OutgoingMessage[] }[]) => Promise<unknown>;
  /** Commits the consumer group's offsets of every partition of the group in one request. */
  commitOffsets: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>;
  retry: RetryWithHeartbeat;
  log: Logger;
  /** Where insert durations and sizes are reported (Prometheus). Default: nowhere. */
  metrics?: ProjectorMetrics | undefined;
  /** Called once the group's outcomes are visible in ClickHouse (the all-in-one process wakes waiters). */
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
};

/**
 * Applies a recorded group: inserts its rows with tokens derived from its ranges (one insert per
 * table), publishes its outcomes (and parks its undecodable records), then commits its offsets.
 * Every write is retried while the group heartbeat goes on. Applying the same group again inserts
 * nothing new: ClickHouse drops the copies by their tokens, in the tables and in every view.
 * `dlq` when the bad-record policy is `stop` and a record did not decode: then nothing is written.
 */
export function createApplyGroupStep(deps: ApplyGroupDeps) {
  const { writer, codecs, topics, retry } = deps;
  const metrics = deps.metrics ?? noMetrics.projector;
  /** Times the successful attempt of an insert (not the retries' backoff); no rows, no insert. */
  const timedInsert = (table: ProjectorTable, rows: number, insert: () => Promise<unknown>) => async () => {
    const startedAt = performance.now();
    await insert();
    if (rows > 0) metrics.inserted({ table, rows, seconds: (performance.now() - startedAt) / 1000 });
  };
  return async function applyGroup({ group, heartbeat }: GroupToApply): Promise<StepResult<AppliedGroup>> {
    const decoded = await deps.decodeGroup(group);
    if (decoded.kind !== 'ok') return decoded;
    const fromChanges = projectChanges(decoded.value.changes);
    const fromDeadLetters = projectDeadLetters(decoded.value.deadLetters);
    const token = groupToken(group);
    const step = groupWriteStep(retry, heartbeat, deps.log);

    const batchEvents = [...fromChanges.batchEvents, ...fromDeadLetters.batchEvents];
    // The marker is recorded (the sink wrote it first, alone); the tables are independent of each
    // other (one token each; a crash between any two re-applies the group with the same tokens), so
    // they are inserted side by side: the embedded engine's session pool runs them in parallel.
    await allWritten([
      step(
        'insert into event_changes',
        timedInsert('event_changes', fromChanges.changes.length, () =>
          insertEventChanges(writer, fromChanges.changes, {
            dedupToken: `${token}:${TABLE_TOKEN_SUFFIX.event_changes}`,
            validate: false,
          }),
        ),
      ),
      step(
        'insert into rejected_events',
        timedInsert('rejected_events', fromDeadLetters.rejected.length, () =>
          insertRejectedEvents(writer, fromDeadLetters.rejected, {
            dedupToken: `${token}:${TABLE_TOKEN_SUFFIX.rejected_events}`,
            validate: false,
          }),
        ),
      ),
      step(
        'insert into batch_events',
        timedInsert('batch_events', batchEvents.length, () =>
          insertBatchEvents(writer, batchEvents, {
            dedupToken: `${token}:${TABLE_TOKEN_SUFFIX.batch_events}`,
            // Built from records the codecs decoded (Avro types and enums checked): no second check.
            validate: false,
          }),
        ),
      ),
    ]);

    const outcomes = [...fromChanges.outcomes, ...fromDeadLetters.outcomes];
    if (outcomes.length > 0) deps.onOutcomes?.(outcomes);
    const invalid = decoded.value.invalid;
    const topicMessages = [
      {
        topic: topics.outcomes,
        messages: outcomes.map((o) => ({ key: o.batchId, value: codecs.outcomes.encode(o) })),
      },
      {
        topic: topics.invalid,
        messages: invalid.map((i) => ({ key: i.key, value: codecs.invalid.encode(i.record) })),
      },
    ].filter((t) => t.messages.length > 0);
    if (topicMessages.length > 0) await step('publish outcomes', () => deps.publish(topicMessages));

    await step('commit offsets', () => deps.commitOffsets(offsetsToCommit(group)));
    return ok({
      changeRows: fromChanges.changes.length,
      outcomes: outcomes.length,
      invalidRecords: invalid.length,
      records: decoded.value.changes.length + decoded.value.deadLetters.length + invalid.length,
    });
  };
}
