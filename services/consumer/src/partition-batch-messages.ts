import { type ChangeRecord, stateRecordFor } from '@shopfloor/contracts';
import type { StateWrite } from '@shopfloor/dedupe';
import type { ShopfloorCodecs } from '@shopfloor/kafka';
import type { TopicMessages } from '@shopfloor/stream-runner';
import type { ParkedRecord } from './decode-raw-batch-step.ts';

/** The output topics of the dedupe consumers. */
export type DedupeOutputTopics = { state: string; changes: string; invalid: string };

/** What one partition batch writes: the decisions and the records it could not decode. */
export type DecidedPartitionBatch = {
  partition: number;
  stateWrites: readonly StateWrite[];
  changes: readonly ChangeRecord[];
  invalid: readonly ParkedRecord[];
};

/**
 * The records of one partition batch, encoded by the topics' codecs: state and the batch's ONE
 * change batch record (all its decisions, in raw offset order) go to the batch's own partition (the
 * topics are co-partitioned with events.raw), a state delete is a tombstone (null, never encoded).
 * Topics with nothing to write are left out.
 */
export function encodePartitionBatch(
  codecs: Pick<ShopfloorCodecs, 'state' | 'changes' | 'invalid'>,
  topics: DedupeOutputTopics,
  batch: DecidedPartitionBatch,
): TopicMessages[] {
  const { partition } = batch;
  const state = batch.stateWrites.map(([eventId, winner]) => ({
    key: eventId,
    value: winner === null ? null : codecs.state.encode(stateRecordFor(winner)),
    partition,
  }));
  // One record per transaction, not per decision: a third of the records per event gone (lever 1).
  // No key: the partition is explicit and the topic is not compacted.
  const changes =
    batch.changes.length === 0
      ? []
      : [{ key: null, value: codecs.changes.encode({ v: 1, changes: batch.changes }), partition }];
  const invalid = batch.invalid.map(({ key, record }) => ({ key, value: codecs.invalid.encode(record) }));
  return [
    { topic: topics.state, messages: state },
    { topic: topics.changes, messages: changes },
    { topic: topics.invalid, messages: invalid },
  ].filter((t) => t.messages.length > 0);
}
