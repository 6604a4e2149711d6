// The workload on node-rdkafka (librdkafka): the same records, sends, topics and transaction sizes
// as the kafkajs workload, plus one transaction per fetch across partitions (KIP-447), which
// kafkajs 2.2.4 cannot do (its sendOffsets has no consumer group metadata).
import {
  call,
  connectConsumer,
  connectProducer,
  connectTransactionalProducer,
  consumeBatch,
  disconnectConsumer,
  disconnectProducer,
  type RdConsumer,
  type RdMessage,
  type RdProducer,
} from './rdkafka-clients.ts';
import {
  type ClientWorkload,
  type Counts,
  changeBatchValue,
  chunks,
  eventKey,
  type HopTopics,
  hopGroupId,
  RAW_VALUE,
  SEND_SIZE,
  STATE_VALUE,
} from './workload.ts';

/** Groups a fetch's records by partition, in offset order. */
function byPartition(messages: readonly RdMessage[]): Map<number, RdMessage[]> {
  const groups = new Map<number, RdMessage[]>();
  for (const m of messages) {
    const group = groups.get(m.partition);
    if (group) group.push(m);
    else groups.set(m.partition, [m]);
  }
  return groups;
}

/** One transaction: a state record per input record, one change batch per partition, the offsets. */
async function transact(
  producer: RdProducer,
  consumer: RdConsumer,
  topics: HopTopics,
  groups: Map<number, RdMessage[]>,
): Promise<void> {
  await call((done) => producer.beginTransaction(done));
  const offsets: { topic: string; partition: number; offset: number }[] = [];
  for (const [partition, messages] of groups) {
    for (const m of messages) producer.produce(topics.state, partition, STATE_VALUE, m.key);
    producer.produce(topics.changes, partition, changeBatchValue(messages.length), null);
    offsets.push({ topic: topics.raw, partition, offset: messages[messages.length - 1]!.offset + 1 });
  }
  await call((done) => producer.sendOffsetsToTransaction(offsets, consumer, 30_000, done));
  await call((done) => producer.commitTransaction(30_000, done));
}

/** Reads the raw topic in fetches of `perFetch` records until `total` are done, handing each on. */
async function hopLoop(
  brokers: string[],
  topics: HopTopics,
  groupId: string,
  total: number,
  perFetch: number,
  handle: (consumer: RdConsumer, messages: RdMessage[]) => Promise<number>,
): Promise<Counts> {
  const consumer = await connectConsumer(brokers, groupId, topics.raw, { 'enable.auto.commit': false });
  const counts: Counts = { records: 0, transactions: 0 };
  while (counts.records < total) {
    const messages = await consumeBatch(consumer, perFetch);
    if (messages.length === 0) continue;
    counts.transactions += await handle(consumer, messages);
    counts.records += messages.length;
  }
  await disconnectConsumer(consumer);
  return counts;
}

export function rdkafkaWorkload(brokers: string[]): ClientWorkload {
  return {
    name: 'rdkafka',
    async produce(topic, total) {
      const producer = await connectProducer(brokers); // idempotence forces acks=all
      let delivered = 0;
      let failed: unknown;
      let wake = () => {};
      producer.on('delivery-report', (error) => {
        if (error) failed = error;
        delivered++;
        if (delivered % SEND_SIZE === 0) wake();
      });
      for (let sent = 0; sent < total; sent += SEND_SIZE) {
        const acked = new Promise<void>((resolve) => {
          wake = resolve;
        });
        for (let i = 0; i < SEND_SIZE; i++) producer.produce(topic, null, RAW_VALUE, eventKey(sent + i));
        await acked; // each send awaited, as kafkajs' send is
        if (failed) throw failed;
      }
      await disconnectProducer(producer);
      return { records: total, transactions: 0 };
    },

    async consume(topic, total) {
      const consumer = await connectConsumer(brokers, `${topic}.consume`, topic);
      let records = 0;
      while (records < total) records += (await consumeBatch(consumer, SEND_SIZE)).length;
      await disconnectConsumer(consumer);
      return { records, transactions: 0 };
    },

    async hopPerPartition(topics, total, perTransaction) {
      const groupId = hopGroupId(topics, 'rdkafka', 'partition');
      // One producer per input partition, as the dedupe runner's partition owners.
      const producers = await Promise.all(
        Array.from({ length: topics.partitions }, (_, p) =>
          connectTransactionalProducer(brokers, `${groupId}.${p}`),
        ),
      );
      // Records wait per partition until a full transaction's worth is there (or the last one):
      // the same transaction sizes as kafkajs' split fetches.
      const pending = new Map<number, RdMessage[]>();
      let seen = 0;
      const counts = await hopLoop(brokers, topics, groupId, total, SEND_SIZE, async (consumer, messages) => {
        seen += messages.length;
        for (const [partition, records] of byPartition(messages))
          pending.set(partition, [...(pending.get(partition) ?? []), ...records]);
        const perPartition = [...pending].map(async ([partition, records]) => {
          const ready = seen >= total ? records.length : records.length - (records.length % perTransaction);
          pending.set(partition, records.slice(ready));
          let transactions = 0;
          for (const chunk of chunks(records.slice(0, ready), perTransaction)) {
            await transact(producers[partition]!, consumer, topics, new Map([[partition, chunk]]));
            transactions++;
          }
          return transactions;
        });
        return (await Promise.all(perPartition)).reduce((a, b) => a + b, 0);
      });
      await Promise.all(producers.map(disconnectProducer));
      return counts;
    },

    async hopPerFetch(topics, total, perFetch) {
      const groupId = hopGroupId(topics, 'rdkafka', 'fetch');
      const producer = await connectTransactionalProducer(brokers, groupId);
      const counts = await hopLoop(brokers, topics, groupId, total, perFetch, async (consumer, messages) => {
        await transact(producer, consumer, topics, byPartition(messages));
        return 1;
      });
      await disconnectProducer(producer);
      return counts;
    },
  };
}
