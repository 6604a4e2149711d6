import { isFencedProducerError, type RecordMetadata, type Transaction } from '@shopfloor/kafka';
import type { TopicMessages } from './partition-batch-messages.ts';
import type { PartitionOwner } from './partition-owner.ts';

/** One partition batch, encoded, with the offset of its last raw record. */
export type PartitionBatchToCommit = {
  partition: number;
  lastOffset: string;
  topicMessages: TopicMessages[];
};

/**
 * A failed dedupe transaction. `phase` says how far it got: in `send` nothing can have been
 * committed (the transaction was aborted, or will be when the producer is recreated); in `commit`
 * the commit request went out and its outcome is unknown.
 */
export class TransactionFailure extends Error {
  override readonly name = 'TransactionFailure';

  constructor(
    readonly partition: number,
    readonly phase: 'send' | 'commit',
    readonly error: unknown,
  ) {
    super(
      `dedupe transaction of partition ${partition} failed (${phase}): ${(error as Error)?.message ?? error}`,
    );
  }
}

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

/** The state changelog offset after this batch's state records, if it wrote any. */
function stateCheckpoint(sent: RecordMetadata[], stateTopic: string, batch: PartitionBatchToCommit) {
  const meta = sent.find((m) => m.topicName === stateTopic && m.partition === batch.partition);
  const count = batch.topicMessages.find((t) => t.topic === stateTopic)?.messages.length ?? 0;
  return meta?.baseOffset === undefined ? undefined : (BigInt(meta.baseOffset) + BigInt(count)).toString();
}

/**
 * The one Kafka transaction of a partition batch, on the partition's own producer: the state
 * changelog, the changes, the parked invalid records and the input offset (sendOffsets) commit
 * together or not at all. Resolves to the state checkpoint the batch brings the store to (undefined
 * when it wrote no state). On failure the producer is left usable: aborted, or recreated when the
 * abort was not possible (a commit in doubt, a fenced producer).
 */
export function createCommitPartitionBatchStep(deps: {
  groupId: string;
  rawTopic: string;
  stateTopic: string;
}) {
  return async function commitPartitionBatch(
    owner: Pick<PartitionOwner<{ readonly partition: number }>, 'producer' | 'reset'>,
    batch: PartitionBatchToCommit,
  ): Promise<string | undefined> {
    let phase: 'send' | 'commit' = 'send';
    let tx: Transaction | undefined;
    try {
      tx = await (await owner.producer()).transaction();
      const sent =
        batch.topicMessages.length > 0 ? await tx.sendBatch({ topicMessages: batch.topicMessages }) : [];
      await tx.sendOffsets({
        consumerGroupId: deps.groupId,
        topics: [
          {
            topic: deps.rawTopic,
            partitions: [{ partition: batch.partition, offset: nextOffset(batch.lastOffset) }],
          },
        ],
      });
      phase = 'commit';
      await tx.commit();
      return stateCheckpoint(sent, deps.stateTopic, batch);
    } catch (error) {
      const aborted =
        phase === 'send' &&
        tx !== undefined &&
        (await tx.abort().then(
          () => true,
          () => false,
        ));
      if (!aborted || isFencedProducerError(error)) await owner.reset();
      throw new TransactionFailure(batch.partition, phase, error);
    }
  };
}

export type CommitPartitionBatch = ReturnType<typeof createCommitPartitionBatchStep>;
