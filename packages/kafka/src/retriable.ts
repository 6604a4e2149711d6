// Classifies errors by shape (name, retriable flag, errno code) rather than instanceof, so errors
// that crossed a realm or were wrapped by another library are still recognised.

const TRANSIENT_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSNoBrokerAvailableError',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSTopicMetadataNotLoaded',
  'KafkaJSStaleTopicMetadataAssignment',
  'KafkaJSGroupCoordinatorNotFound',
  'KafkaJSLockTimeout',
]);

/** Broker answers that mean "try again later" even where kafkajs marks them otherwise. */
const TRANSIENT_PROTOCOL_TYPES = new Set([
  'REBALANCE_IN_PROGRESS',
  'NOT_COORDINATOR',
  'COORDINATOR_NOT_AVAILABLE',
  'COORDINATOR_LOAD_IN_PROGRESS',
  'CONCURRENT_TRANSACTIONS',
  'LEADER_NOT_AVAILABLE',
  'NOT_LEADER_FOR_PARTITION',
  'NOT_ENOUGH_REPLICAS',
  'REQUEST_TIMED_OUT',
  'UNKNOWN_TOPIC_OR_PARTITION',
]);

/**
 * A fenced or broken transactional producer: another producer took its transactional id, or the
 * broker no longer knows its epoch. It must be recreated (and whatever it guarded re-read), never
 * retried as is.
 */
const FENCED_PROTOCOL_TYPES = new Set([
  'INVALID_PRODUCER_EPOCH',
  'PRODUCER_FENCED',
  'INVALID_TXN_STATE',
  'INVALID_PRODUCER_ID_MAPPING',
  'TRANSACTION_COORDINATOR_FENCED',
]);

/**
 * The group coordinator refused a KIP-447 fenced offset commit: the generation the batch was handed
 * out in is over (a rebalance), or the member left the group. The transaction must be aborted; the
 * partitions are this member's again only if the rejoin gives them back.
 */
const STALE_MEMBER_PROTOCOL_TYPES = new Set([
  'ILLEGAL_GENERATION',
  'UNKNOWN_MEMBER_ID',
  'FENCED_INSTANCE_ID',
]);

/** Never retried: a retry cannot succeed without an operator. */
const FATAL_PROTOCOL_TYPES = new Set([
  ...FENCED_PROTOCOL_TYPES,
  'TRANSACTIONAL_ID_AUTHORIZATION_FAILED',
  'UNSUPPORTED_VERSION',
]);

const TRANSIENT_ERRNO = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'EAI_AGAIN',
]);

interface ErrorShape {
  name?: unknown;
  type?: unknown;
  code?: unknown;
  retriable?: unknown;
  cause?: unknown;
  originalError?: unknown;
  errors?: unknown;
}

function isLostConnection(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const e = err as ErrorShape;
  return (
    (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) ||
    (typeof e.code === 'string' && TRANSIENT_ERRNO.has(e.code))
  );
}

export function isRetriableKafkaError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const e = err as ErrorShape;
  if (typeof e.type === 'string') {
    if (FATAL_PROTOCOL_TYPES.has(e.type)) return false;
    if (TRANSIENT_PROTOCOL_TYPES.has(e.type)) return true;
  }
  // kafkajs gave up after its own retries: judge by what it was retrying.
  if (e.name === 'KafkaJSNumberOfRetriesExceeded') return isRetriableKafkaError(e.cause, depth + 1);
  // kafkajs gave up on a lost connection where its own retry does not apply (e.g. sendOffsets while
  // the broker restarts, seen in `pnpm chaos`): the operation as a whole can be tried again.
  if (e.name === 'KafkaJSNonRetriableError' && isLostConnection(e.cause)) return true;
  if (e.name === 'KafkaJSAggregateError' && Array.isArray(e.errors) && e.errors.length > 0) {
    return e.errors.every((inner) => isRetriableKafkaError(inner, depth + 1));
  }
  if (typeof e.name === 'string' && TRANSIENT_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && TRANSIENT_ERRNO.has(e.code)) return true;
  if (typeof e.name === 'string' && e.name.startsWith('KafkaJS') && typeof e.retriable === 'boolean') {
    return e.retriable;
  }
  return false;
}

/** Whether `err` (or what kafkajs wrapped in it) says the transactional producer was fenced or broken. */
export function isFencedProducerError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const e = err as ErrorShape;
  if (typeof e.type === 'string' && FENCED_PROTOCOL_TYPES.has(e.type)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isFencedProducerError(inner, depth + 1)))
    return true;
  return isFencedProducerError(e.cause ?? e.originalError, depth + 1);
}

/** Whether `err` (or what kafkajs wrapped in it) is a fenced offset commit of a stale group member. */
export function isStaleMemberError(err: unknown, depth = 0): boolean {
  if (err === null || typeof err !== 'object' || depth > 5) return false;
  const e = err as ErrorShape;
  if (typeof e.type === 'string' && STALE_MEMBER_PROTOCOL_TYPES.has(e.type)) return true;
  if (Array.isArray(e.errors) && e.errors.some((inner) => isStaleMemberError(inner, depth + 1))) return true;
  return isStaleMemberError(e.cause ?? e.originalError, depth + 1);
}

/**
 * What a failed Kafka operation calls for: `fenced` recreate the producer (and re-read what it
 * guarded), `stale-member` abort (the group moved on; its rejoin says what is still this member's),
 * `transient` try again later, `fatal` stop, since no retry can succeed.
 */
export type KafkaFailureKind = 'fenced' | 'stale-member' | 'transient' | 'fatal';

export function classifyKafkaError(err: unknown): KafkaFailureKind {
  if (isFencedProducerError(err)) return 'fenced';
  if (isStaleMemberError(err)) return 'stale-member';
  return isRetriableKafkaError(err) ? 'transient' : 'fatal';
}

/**
 * Thrown from a consumer's batch handler, stops that consumer for good: kafkajs neither retries
 * the batch nor restarts the consumer on an error marked non-retriable (and with no cause to look
 * through). For a configured stop (a bad record under the `stop` policy) or a fatal failure.
 */
export class ConsumerStopError extends Error {
  override readonly name = 'ConsumerStopError';
  readonly retriable = false;
}
