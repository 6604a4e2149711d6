export type { CommittedOffset, GroupDescription, PartitionRange } from './admin-queries.ts';
export {
  describeGroup,
  existingTopics,
  fetchCommittedOffsets,
  fetchLogRanges,
  fetchOffsetsForTime,
  readCommittedOffsets,
  readLogRanges,
  setCommittedOffsets,
} from './admin-queries.ts';
export type { CreateKafkaOptions, KafkaLogLevel, KafkaLogRecord } from './client.ts';
export { createKafka, isRetryNoise } from './client.ts';
export type { ClusterInfo } from './cluster.ts';
export { describeCluster, waitForBroker } from './cluster.ts';
export type { ConsumerLagReader, GroupLag, GroupSubscription, PartitionLag } from './consumer-lag.ts';
export { createConsumerLagReader } from './consumer-lag.ts';
export {
  consumerStopped,
  DuplicateMemberError,
  firstMemberStop,
  type MemberStop,
} from './consumer-stopped.ts';
export { EMPTY_FETCH_WAIT_MS } from './fetch-wait.ts';
export type { ScanLogOptions } from './log-scanner.ts';
export { scanLog } from './log-scanner.ts';
export { loadMemberId } from './member-id.ts';
export type { PartitionLagOf } from './partition-lag.ts';
export { partitionLag } from './partition-lag.ts';
export type { ReadPartitionsOptions } from './partition-reader.ts';
export { readPartitions } from './partition-reader.ts';
export type { TransactionalProducerOptions } from './producers.ts';
export { createIdempotentProducer, createTransactionalProducer } from './producers.ts';
export type { RecordCodec, ShopfloorCodecs } from './record-codec.ts';
export { jsonCodecs, jsonRecordCodec } from './record-codec.ts';
export { type ProducerSource, renewingIdempotentProducer, renewingProducer } from './renewing-producer.ts';
export type { KafkaClientKind, KafkaRequestCount } from './request-counts.ts';
export { kafkaRequestCounts } from './request-counts.ts';
export type { KafkaFailureKind } from './retriable.ts';
export {
  ConsumerStopError,
  classifyKafkaError,
  isFencedProducerError,
  isRetriableKafkaError,
  isStaleMemberError,
} from './retriable.ts';
export type { RetryOptions } from './retry.ts';
export { backoffDelay, retryWithJitter } from './retry.ts';
export { decodeJson, encodeJson } from './serde.ts';
export {
  keptForeverTopic,
  keyTopicSpec,
  LARGE_MESSAGE_CONFIGS,
  STATE_CHANGELOG_CONFIGS,
  STATE_CHANGELOG_ENFORCED_CONFIGS,
  shopfloorTopicSpecs,
  stateChangelogTopic,
  withLargeMessages,
  writeOnceStateTopic,
} from './shopfloor-topics.ts';
export { fetchTopicIds } from './topic-ids.ts';
export type { TopicSpec } from './topics.ts';
export { COMPACTED_TOPIC_CONFIGS, ensureTopics, topicConfigs } from './topics.ts';
export type {
  Admin,
  ConsumedMessage,
  Consumer,
  ConsumerGroupMetadata,
  EachBatchPayload,
  EachMessagePayload,
  KafkaClient,
  MessageHeaders,
  OutgoingMessage,
  Producer,
  RecordMetadata,
  Transaction,
} from './types.ts';
