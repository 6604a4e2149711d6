import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { isRetriableKafkaError } from './retriable.ts';

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

  it('does not retry plain programming errors or non-errors', () => {
    expect(isRetriableKafkaError(new TypeError('x is undefined'))).toBe(false);
    expect(isRetriableKafkaError('boom')).toBe(false);
    expect(isRetriableKafkaError(null)).toBe(false);
  });
});
