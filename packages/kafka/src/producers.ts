import { Partitioners } from './kafkajs.ts';
import type { KafkaClient, Producer } from './types.ts';

// kafkajs only guarantees ordering with idempotence when one request is in flight per broker (it
// rejects idempotent: true with maxInFlightRequests > 1). The default partitioner is the Java
// client's murmur2, so a key lands on the same partition whichever client produced it; that is
// what keeps co-partitioned topics aligned. Naming it explicitly also silences kafkajs' warning.
const BASE = {
  idempotent: true,
  maxInFlightRequests: 1,
  createPartitioner: Partitioners.DefaultPartitioner,
} as const;

/** An idempotent producer (acks=all is forced by kafkajs for idempotent sends). Not yet connected. */
export function createIdempotentProducer(kafka: KafkaClient): Producer {
  return kafka.producer({ ...BASE });
}

export interface TransactionalProducerOptions {
  /** Default 60 s; the broker aborts a transaction left open longer than this. */
  transactionTimeoutMs?: number;
}

/**
 * A transactional producer for consume-transform-produce. The transactionalId must be stable per
 * process (a member id kept in its state directory) so that a restarted process fences its zombie
 * and aborts the transaction it left open; zombies of other processes are fenced by the group
 * generation of their offset commits (KIP-447, `sendOffsets({ groupMetadata })`).
 */
export function createTransactionalProducer(
  kafka: KafkaClient,
  transactionalId: string,
  options: TransactionalProducerOptions = {},
): Producer {
  return kafka.producer({
    ...BASE,
    transactionalId,
    transactionTimeout: options.transactionTimeoutMs ?? 60_000,
  });
}
