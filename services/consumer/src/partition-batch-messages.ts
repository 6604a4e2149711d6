import { type ChangeRecord, stateRecordFor } from '@shopfloor/contracts';
import type { StateWrite } from '@shopfloor/dedupe';
import type { OutgoingMessage, ShopfloorCodecs } from '@shopfloor/kafka';
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

export type TopicMessages = { topic: string; messages: OutgoingMessage[] };

/**
 * The records of one partition batch, encoded by the topics' codecs: state and changes go to the
 * batch's own partition (the topics are co-partitioned with events.raw), a state delete is a
 * tombstone (null, never encoded). Topics with nothing to write are left out.
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
  const changes = batch.changes.map((change) => ({
    key: change.eventId,
    value: codecs.changes.encode(change),
    partition,
  }));
  const invalid = batch.invalid.map(({ key, record }) => ({ key, value: codecs.invalid.encode(record) }));
  return [
    { topic: topics.state, messages: state },
    { topic: topics.changes, messages: changes },
    { topic: topics.invalid, messages: invalid },
  ].filter((t) => t.messages.length > 0);
}
