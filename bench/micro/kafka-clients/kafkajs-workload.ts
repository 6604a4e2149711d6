// The workload on kafkajs as the project runs it: the clients and producer settings of
// @shopfloor/kafka (with the pnpm patch), the consumer settings of the dedupe stream runner.
import {
  type ConsumedMessage,
  type Consumer,
  createIdempotentProducer,
  createKafka,
  createTransactionalProducer,
  type EachBatchPayload,
  type Producer,
} from '@shopfloor/kafka';
import {
  type ClientWorkload,
  type Counts,
  changeBatchValue,
  chunks,
  eventKey,
  type HopTopics,
  hopGroupId,
  nextOffset,
  RAW_VALUE,
  SEND_SIZE,
  STATE_VALUE,
} from './workload.ts';

/** One transaction: a state record per input record, one change batch per partition, the offsets. */
async function transact(
  producer: Producer,
  groupId: string,
  topics: HopTopics,
  groups: Map<number, ConsumedMessage[]>,
): Promise<void> {
  const tx = await producer.transaction();
  const groupList = [...groups];
  await tx.sendBatch({
    topicMessages: [
      {
        topic: topics.state,
        messages: groupList.flatMap(([partition, ms]) =>
          ms.map((m) => ({ key: m.key, value: STATE_VALUE, partition })),
        ),
      },
      {
        topic: topics.changes,
        messages: groupList.map(([partition, ms]) => ({
          key: null,
          value: changeBatchValue(ms.length),
          partition,
        })),
      },
    ],
  });
  await tx.sendOffsets({
    consumerGroupId: groupId,
    topics: [
      {
        topic: topics.raw,
        partitions: groupList.map(([partition, ms]) => ({
          partition,
          offset: nextOffset(ms[ms.length - 1]!.offset),
        })),
      },
    ],
  });
  await tx.commit();
}

/** Runs `consumer` until `handle` has counted `total` records, then disconnects it. */
async function consumeUntil(
  consumer: Consumer,
  topic: string,
  total: number,
  options: { autoCommit: boolean; concurrency: number },
  handle: (payload: EachBatchPayload) => Promise<Counts>,
): Promise<Counts> {
  const counts: Counts = { records: 0, transactions: 0 };
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    consumer
      .run({
        autoCommit: options.autoCommit,
        eachBatchAutoResolve: options.autoCommit,
        partitionsConsumedConcurrently: options.concurrency,
        eachBatch: async (payload) => {
          if (counts.records >= total) return;
          const done = await handle(payload);
          counts.records += done.records;
          counts.transactions += done.transactions;
          if (counts.records >= total) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return counts;
}

export function kafkajsWorkload(brokers: string[]): ClientWorkload {
  const kafka = createKafka({ brokers, clientId: 'client-compare-kafkajs' });
  return {
    name: 'kafkajs',
    async produce(topic, total) {
      const producer = createIdempotentProducer(kafka);
      await producer.connect();
      for (let sent = 0; sent < total; sent += SEND_SIZE) {
        const messages = Array.from({ length: SEND_SIZE }, (_, i) => ({
          key: eventKey(sent + i),
          value: RAW_VALUE,
        }));
        await producer.send({ topic, acks: -1, messages });
      }
      await producer.disconnect();
      return { records: total, transactions: 0 };
    },

    consume(topic, total) {
      const consumer = kafka.consumer({ groupId: `${topic}.consume`, maxWaitTimeInMs: 20 });
      return consumeUntil(
        consumer,
        topic,
        total,
        { autoCommit: true, concurrency: 1 },
        async ({ batch }) => ({
          records: batch.messages.length,
          transactions: 0,
        }),
      );
    },

    async hopPerPartition(topics: HopTopics, total, perTransaction) {
      const groupId = hopGroupId(topics, 'kafkajs', 'partition');
      const producers = await Promise.all(
        Array.from({ length: topics.partitions }, async (_, p) => {
          const producer = createTransactionalProducer(kafka, `${groupId}.${p}`);
          await producer.connect();
          return producer;
        }),
      );
      // The dedupe runner's consumer settings; a fetch (1 MiB per partition) is split into
      // transactions of `perTransaction` records.
      const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 20 });
      const options = { autoCommit: false, concurrency: topics.partitions };
      const counts = await consumeUntil(consumer, topics.raw, total, options, async (payload) => {
        const { batch, resolveOffset, heartbeat } = payload;
        const partition = batch.partition;
        const done: Counts = { records: 0, transactions: 0 };
        for (const chunk of chunks(batch.messages, perTransaction)) {
          const last = chunk[chunk.length - 1]!.offset;
          await transact(producers[partition]!, groupId, topics, new Map([[partition, chunk]]));
          resolveOffset(last);
          done.records += chunk.length;
          done.transactions++;
        }
        await heartbeat();
        return done;
      });
      await Promise.all(producers.map((p) => p.disconnect()));
      return counts;
    },

    /**
     * One transaction per `perFetch` records across partitions on ONE producer. kafkajs 2.2.4 sends
     * TxnOffsetCommit v0-v1 (no consumer group metadata), so this has no zombie fencing when
     * partitions move (KIP-447): a benchmark of the broker and client work only, not usable as is.
     */
    async hopPerFetch(topics, total, perFetch) {
      const groupId = hopGroupId(topics, 'kafkajs', 'fetch');
      const producer = createTransactionalProducer(kafka, groupId);
      await producer.connect();
      const consumer = kafka.consumer({ groupId, readUncommitted: false, maxWaitTimeInMs: 20 });
      const pending = new Map<number, ConsumedMessage[]>();
      let waiting = 0;
      let seen = 0;
      const options = { autoCommit: false, concurrency: 1 };
      const counts = await consumeUntil(consumer, topics.raw, total, options, async (payload) => {
        const { batch, resolveOffset, heartbeat } = payload;
        let transactions = 0;
        for (let i = 0; i < batch.messages.length; ) {
          const chunk = batch.messages.slice(i, i + perFetch - waiting);
          i += chunk.length;
          pending.set(batch.partition, [...(pending.get(batch.partition) ?? []), ...chunk]);
          waiting += chunk.length;
          seen += chunk.length;
          // Only the position moves here; the offsets commit inside the transaction.
          resolveOffset(chunk[chunk.length - 1]!.offset);
          if (waiting < perFetch && seen < total) continue;
          await transact(producer, groupId, topics, pending);
          pending.clear();
          waiting = 0;
          transactions++;
        }
        await heartbeat();
        return { records: batch.messages.length, transactions };
      });
      await producer.disconnect();
      return counts;
    },
  };
}
