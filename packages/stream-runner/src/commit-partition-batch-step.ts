import {
  type ConsumerGroupMetadata,
  isFencedProducerError,
  type OutgoingMessage,
  type RecordMetadata,
  type Transaction,
} from '@shopfloor/kafka';
import type { MemberProducer } from './partition-owner.ts';

/** What a transaction writes to one output topic. */
export type TopicMessages = { topic: string; messages: OutgoingMessage[] };

/** One partition batch, encoded, with the offset of its last raw record. */
export type PartitionBatchToCommit = {
  partition: number;
  lastOffset: string;
  topicMessages: TopicMessages[];
};

/**
 * A failed stream transaction. `phase` says how far it got: in `send` nothing can have been
 * committed (the transaction was aborted, or will be when the producer is recreated); in `commit`
 * the commit request went out and its outcome is unknown. `partitions`: every input partition the
 * transaction covered (all of them roll back together).
 */
export class TransactionFailure extends Error {
  override readonly name = 'TransactionFailure';

  constructor(
    readonly partitions: readonly number[],
    readonly phase: 'send' | 'commit',
    readonly error: unknown,
  ) {
    super(
      `transaction of partitions ${partitions.join(',')} failed (${phase}): ${(error as Error)?.message ?? error}`,
    );
  }
}

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

/** One topicMessages entry per topic: kafkajs sends a topic once per request. */
function mergeByTopic(batches: readonly PartitionBatchToCommit[]): TopicMessages[] {
  const byTopic = new Map<string, TopicMessages['messages']>();
  for (const batch of batches) {
    for (const { topic, messages } of batch.topicMessages) {
      const merged = byTopic.get(topic);
      if (merged) merged.push(...messages);
      else byTopic.set(topic, [...messages]);
    }
  }
  return [...byTopic].map(([topic, messages]) => ({ topic, messages }));
}

/** The state changelog offset after this batch's state records, if it wrote any. */
function stateCheckpoint(sent: RecordMetadata[], stateTopic: string, batch: PartitionBatchToCommit) {
  const meta = sent.find((m) => m.topicName === stateTopic && m.partition === batch.partition);
  const count = batch.topicMessages.find((t) => t.topic === stateTopic)?.messages.length ?? 0;
  return meta?.baseOffset === undefined ? undefined : (BigInt(meta.baseOffset) + BigInt(count)).toString();
}

/**
 * The one Kafka transaction of a fetch, on the member's producer: every partition batch's state
 * changelog records (each batch writes only its own partition of the co-partitioned changelog),
 * changes and parked invalid records, and every batch's input offset, commit together or not at
 * all. The offsets carry the group generation the batches were handed out in (KIP-447), so the
 * coordinator refuses them once a rebalance has moved on. Resolves to each batch's state checkpoint
 * (undefined when it wrote no state). On failure the producer is left usable: aborted, or recreated
 * when the abort was not possible (a commit in doubt, a fenced producer).
 */
export function createCommitPartitionBatchesStep(deps: {
  groupId: string;
  rawTopic: string;
  stateTopic: string;
}) {
  return function commitPartitionBatches(
    member: Pick<MemberProducer, 'producer' | 'reset' | 'inTransactionLock'>,
    batches: readonly PartitionBatchToCommit[],
    groupMetadata: ConsumerGroupMetadata | undefined,
  ): Promise<(string | undefined)[]> {
    return member.inTransactionLock(async () => {
      let phase: 'send' | 'commit' = 'send';
      let tx: Transaction | undefined;
      try {
        tx = await (await member.producer()).transaction();
        const topicMessages = mergeByTopic(batches);
        const sent = topicMessages.length > 0 ? await tx.sendBatch({ topicMessages }) : [];
        await tx.sendOffsets({
          consumerGroupId: deps.groupId,
          topics: [
            {
              topic: deps.rawTopic,
              partitions: batches.map((b) => ({ partition: b.partition, offset: nextOffset(b.lastOffset) })),
            },
          ],
          ...(groupMetadata ? { groupMetadata } : {}),
        });
        phase = 'commit';
        await tx.commit();
        return batches.map((batch) => stateCheckpoint(sent, deps.stateTopic, batch));
      } catch (error) {
        const aborted =
          phase === 'send' &&
          tx !== undefined &&
          (await tx.abort().then(
            () => true,
            () => false,
          ));
        if (!aborted || isFencedProducerError(error)) await member.reset();
        throw new TransactionFailure(
          batches.map((b) => b.partition),
          phase,
          error,
        );
      }
    });
  };
}

export type CommitPartitionBatches = ReturnType<typeof createCommitPartitionBatchesStep>;
