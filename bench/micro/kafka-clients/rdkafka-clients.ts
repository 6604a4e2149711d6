// node-rdkafka (librdkafka) producers and consumers, configured to match what @shopfloor/kafka
// asks of kafkajs, with promise wrappers around its callback API.
import { createRequire } from 'node:module';
import type * as RdKafka from 'node-rdkafka';

// node-rdkafka is CommonJS with a native addon; require keeps tsx and Node's ESM loader out of it.
const rdkafka = createRequire(import.meta.url)('node-rdkafka') as typeof RdKafka;

export type RdProducer = RdKafka.Producer;
export type RdConsumer = RdKafka.KafkaConsumer;
export type RdMessage = RdKafka.Message;

type Callback = (error: RdKafka.LibrdKafkaError | null | undefined) => void;
/** Turns one callback-style node-rdkafka call into a promise. */
export const call = (invoke: (done: Callback) => void) =>
  new Promise<void>((resolve, reject) => invoke((error) => (error ? reject(error) : resolve())));

export const librdkafkaVersion = () => rdkafka.librdkafkaVersion;

/**
 * A connected idempotent producer (acks=all is implied by idempotence). murmur2_random is the Java
 * client's partitioner, which kafkajs' DefaultPartitioner also is: keyed records of both clients
 * land on the same partition, which keeps the co-partitioned topics aligned.
 */
export async function connectProducer(
  brokers: string[],
  extra: Record<string, string | number | boolean> = {},
): Promise<RdProducer> {
  const producer = new rdkafka.Producer(
    {
      'metadata.broker.list': brokers.join(','),
      'enable.idempotence': true,
      'linger.ms': 2,
      dr_cb: true,
      ...extra,
    },
    { partitioner: 'murmur2_random' }, // a topic-level property in librdkafka
  );
  await call((done) => producer.connect({}, (error) => done(error)));
  producer.setPollInterval(5); // delivery reports reach JS only when polled
  return producer;
}

/** A connected transactional producer with its transactions initialised (fencing its predecessor). */
export async function connectTransactionalProducer(brokers: string[], transactionalId: string) {
  const producer = await connectProducer(brokers, { 'transactional.id': transactionalId });
  await call((done) => producer.initTransactions(30_000, done));
  return producer;
}

export async function disconnectProducer(producer: RdProducer): Promise<void> {
  producer.setPollInterval(0);
  await call((done) => producer.disconnect((error) => done(error)));
}

/** A connected consumer subscribed to `topic` from its start; offsets committed by the caller. */
export async function connectConsumer(
  brokers: string[],
  groupId: string,
  topic: string,
  extra: Record<string, string | number | boolean> = {},
): Promise<RdConsumer> {
  const consumer = new rdkafka.KafkaConsumer(
    {
      'metadata.broker.list': brokers.join(','),
      'group.id': groupId,
      'isolation.level': 'read_committed',
      'fetch.wait.max.ms': 20, // as the dedupe consumer's maxWaitTimeInMs
      ...extra,
    },
    { 'auto.offset.reset': 'earliest' },
  );
  await call((done) => consumer.connect({}, (error) => done(error)));
  consumer.setDefaultConsumeTimeout(100);
  consumer.subscribe([topic]);
  return consumer;
}

/** Up to `max` records from the consumer's queue, waiting at most its consume timeout. */
export const consumeBatch = (consumer: RdConsumer, max: number) =>
  new Promise<RdMessage[]>((resolve, reject) =>
    consumer.consume(max, (error, messages) => (error ? reject(error) : resolve(messages))),
  );

export async function disconnectConsumer(consumer: RdConsumer): Promise<void> {
  await call((done) => consumer.disconnect((error) => done(error)));
}

/** Waits until every record produced so far is acknowledged. */
export const flush = (producer: RdProducer) => call((done) => producer.flush(30_000, done));
