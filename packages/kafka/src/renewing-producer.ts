import { createIdempotentProducer } from './producers.ts';
import type { KafkaClient, Producer } from './types.ts';

/** The producer the publisher sends with, replaced by a fresh one after a failed send. */
export interface ProducerSource {
  /** The connected producer (connecting a fresh one first if the last send failed). */
  get(): Promise<Producer>;
  /** The last send failed: the next `get()` starts a new producer and drops this one. */
  renew(): void;
  disconnect(): Promise<void>;
}

/**
 * kafkajs' idempotent producer can stay desynchronized with the broker after a failed or timed-out
 * send across a broker restart (every later send fails with OUT_OF_ORDER_SEQUENCE_NUMBER or
 * UNKNOWN_PRODUCER_ID until the producer is replaced; kafkajs issue #598). A fresh producer gets a
 * new producer id and starts clean. Replacing it is safe: the failed batch was answered 503, and a
 * retry of whatever did land is deduped downstream.
 */
export function renewingProducer(create: () => Producer): ProducerSource {
  let current: Promise<Producer> | undefined;
  const connect = async () => {
    const producer = create();
    try {
      await producer.connect();
    } catch (err) {
      current = undefined;
      await producer.disconnect().catch(() => {});
      throw err;
    }
    return producer;
  };
  const drop = () => {
    const old = current;
    current = undefined;
    return old;
  };
  return {
    get() {
      current ??= connect();
      return current;
    },
    renew() {
      // The old producer may still be retrying in the background: disconnect it, do not wait.
      void drop()
        ?.then(
          (p) => p.disconnect(),
          () => {},
        )
        .catch(() => {});
    },
    async disconnect() {
      const old = drop();
      if (old) await (await old.catch(() => undefined))?.disconnect();
    },
  };
}

/** The idempotent producer behind a renewing source: what a gateway-style publisher sends with. */
export function renewingIdempotentProducer(kafka: KafkaClient): ProducerSource {
  return renewingProducer(() => createIdempotentProducer(kafka));
}
