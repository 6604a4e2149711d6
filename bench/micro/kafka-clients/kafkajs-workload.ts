// The workload on kafkajs as the project runs it: the clients and producer settings of
// @shopfloor/kafka (with the pnpm patch), the consumer settings of the dedupe stream runner.
import {
  type Consumer,
  createIdempotentProducer,
  createKafka,
  createTransactionalProducer,
  type EachBatchPayload,
} from '@shopfloor/kafka';
import {
  type ClientWorkload,
  type Counts,
  changeBatchValue,
  chunks,
  eventKey,
  type HopTopics,
  nextOffset,
  RAW_VALUE,
  SEND_SIZE,
  STATE_VALUE,
} from './workload.ts';

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
      const groupId = `${topics.raw}.hop-kafkajs`;
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
          const tx = await producers[partition]!.transaction();
          await tx.sendBatch({
            topicMessages: [
              {
                topic: topics.state,
                messages: chunk.map((m) => ({ key: m.key, value: STATE_VALUE, partition })),
              },
              {
                topic: topics.changes,
                messages: [{ key: null, value: changeBatchValue(chunk.length), partition }],
              },
            ],
          });
          await tx.sendOffsets({
            consumerGroupId: groupId,
            topics: [{ topic: topics.raw, partitions: [{ partition, offset: nextOffset(last) }] }],
          });
          await tx.commit();
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
  };
}
