import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import {
  ConsumerStopError,
  classifyKafkaError,
  isFencedProducerError,
  isRetriableKafkaError,
} from './retriable.ts';

const {
  KafkaJSConnectionError,
  KafkaJSError,
  KafkaJSNonRetriableError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSProtocolError,
  KafkaJSRequestTimeoutError,
} = kafkajs;

// kafkajs' own error classes, built as kafkajs builds them.
const protocolError = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ message: type, type, code: 0, retriable } as unknown as Error);

describe('isRetriableKafkaError', () => {
  it('retries connection problems and timeouts', () => {
    expect(isRetriableKafkaError(new KafkaJSConnectionError('Connection error: ECONNREFUSED'))).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSRequestTimeoutError('Request Produce timed out'))).toBe(true);
    expect(isRetriableKafkaError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(
      true,
    );
  });

  it('follows the broker error type, overriding the flag where a retry is safe or fatal', () => {
    expect(isRetriableKafkaError(protocolError('REBALANCE_IN_PROGRESS', false))).toBe(true);
    expect(isRetriableKafkaError(protocolError('CONCURRENT_TRANSACTIONS', true))).toBe(true);
    expect(isRetriableKafkaError(protocolError('PRODUCER_FENCED', true))).toBe(false);
    expect(isRetriableKafkaError(protocolError('INVALID_PRODUCER_EPOCH', false))).toBe(false);
    expect(isRetriableKafkaError(protocolError('TOPIC_AUTHORIZATION_FAILED', false))).toBe(false);
  });

  it('uses the kafkajs retriable flag otherwise', () => {
    expect(isRetriableKafkaError(new KafkaJSError('transient'))).toBe(true);
    expect(isRetriableKafkaError(new KafkaJSNonRetriableError('bad request'))).toBe(false);
  });

  it('judges exhausted kafkajs retries by their cause', () => {
    const transient = new KafkaJSConnectionError('Connection error');
    const exhausted = new KafkaJSNumberOfRetriesExceeded(transient, { retryCount: 5, retryTime: 1000 });
    expect(isRetriableKafkaError(exhausted)).toBe(true);
    const fatal = new KafkaJSNumberOfRetriesExceeded(protocolError('PRODUCER_FENCED', false), {
      retryCount: 5,
      retryTime: 1000,
    });
    expect(isRetriableKafkaError(fatal)).toBe(false);
  });

  it('retries what kafkajs gave up on for a lost connection, and only that', () => {
    const refused = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    expect(
      isRetriableKafkaError(Object.assign(new KafkaJSNonRetriableError(refused), { cause: refused })),
    ).toBe(true);
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', false);
    expect(
      isRetriableKafkaError(Object.assign(new KafkaJSNonRetriableError(tooLarge), { cause: tooLarge })),
    ).toBe(false);
  });

  it('does not retry plain programming errors or non-errors', () => {
    expect(isRetriableKafkaError(new TypeError('x is undefined'))).toBe(false);
    expect(isRetriableKafkaError('boom')).toBe(false);
    expect(isRetriableKafkaError(null)).toBe(false);
  });
});

describe('isFencedProducerError', () => {
  it('recognises a fenced or broken producer, also wrapped by kafkajs', () => {
    expect(isFencedProducerError(protocolError('PRODUCER_FENCED', false))).toBe(true);
    expect(isFencedProducerError(protocolError('INVALID_PRODUCER_EPOCH', false))).toBe(true);
    const wrapped = new KafkaJSNumberOfRetriesExceeded(protocolError('INVALID_PRODUCER_EPOCH', false), {
      retryCount: 5,
      retryTime: 1000,
    });
    expect(isFencedProducerError(wrapped)).toBe(true);
  });

  it('does not take other failures for fencing', () => {
    expect(isFencedProducerError(protocolError('CONCURRENT_TRANSACTIONS', true))).toBe(false);
    expect(isFencedProducerError(protocolError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false))).toBe(false);
    expect(isFencedProducerError(new KafkaJSConnectionError('Connection error'))).toBe(false);
    expect(isFencedProducerError(undefined)).toBe(false);
  });
});

describe('classifyKafkaError', () => {
  it('sorts failures into fenced, transient and fatal', () => {
    expect(classifyKafkaError(protocolError('PRODUCER_FENCED', false))).toBe('fenced');
    expect(classifyKafkaError(new KafkaJSRequestTimeoutError('Request EndTxn timed out'))).toBe('transient');
    expect(classifyKafkaError(protocolError('REBALANCE_IN_PROGRESS', false))).toBe('transient');
    expect(classifyKafkaError(protocolError('MESSAGE_TOO_LARGE', false))).toBe('fatal');
    expect(classifyKafkaError(protocolError('ILLEGAL_GENERATION', false))).toBe('stale-member');
    expect(classifyKafkaError(protocolError('UNKNOWN_MEMBER_ID', false))).toBe('stale-member');
    expect(classifyKafkaError(protocolError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false))).toBe('fatal');
    expect(classifyKafkaError(new TypeError('x is undefined'))).toBe('fatal');
  });
});

describe('ConsumerStopError', () => {
  it('is non-retriable and has no cause, so kafkajs neither retries nor restarts on it', () => {
    const err = new ConsumerStopError('bad record at events.raw partition 0 offset 7');
    expect(err).toMatchObject({ name: 'ConsumerStopError', retriable: false });
    expect(err.cause).toBeUndefined();
    expect(isRetriableKafkaError(err)).toBe(false);
  });
});
