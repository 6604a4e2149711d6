// The kafkajs types other packages need, under our own names, so that nothing outside this package
// imports kafkajs (swapping the client is then a one-package change).
import type {
  IHeaders,
  Kafka,
  Admin as KafkaJsAdmin,
  Consumer as KafkaJsConsumer,
  ConsumerGroupMetadata as KafkaJsConsumerGroupMetadata,
  EachBatchPayload as KafkaJsEachBatchPayload,
  EachMessagePayload as KafkaJsEachMessagePayload,
  KafkaMessage as KafkaJsMessage,
  Producer as KafkaJsProducer,
  RecordMetadata as KafkaJsRecordMetadata,
  Transaction as KafkaJsTransaction,
  Message,
} from 'kafkajs';

export type KafkaClient = Kafka;
export type Admin = KafkaJsAdmin;
export type Consumer = KafkaJsConsumer;
export type Producer = KafkaJsProducer;
export type Transaction = KafkaJsTransaction;
export type EachBatchPayload = KafkaJsEachBatchPayload;
export type EachMessagePayload = KafkaJsEachMessagePayload;
/** A record as received by a consumer. */
export type ConsumedMessage = KafkaJsMessage;
/** A record to produce. */
export type OutgoingMessage = Message;
export type MessageHeaders = IHeaders;
export type RecordMetadata = KafkaJsRecordMetadata;
/**
 * The consumer's group membership when a batch was handed out (patched kafkajs, KIP-447): passed to
 * `transaction.sendOffsets`, it makes the broker reject the commit of a generation that is over.
 */
export type ConsumerGroupMetadata = KafkaJsConsumerGroupMetadata;
