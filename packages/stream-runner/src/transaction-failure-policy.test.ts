import { describe, expect, it } from 'vitest';
import { respondToTransactionFailure } from './transaction-failure-policy.ts';

// Errors shaped as kafkajs throws them (the classifier reads the shape, not the class).
const protocolError = (type: string, retriable: boolean) =>
  Object.assign(new Error(type), { name: 'KafkaJSProtocolError', type, retriable });
const timeout = Object.assign(new Error('Request timed out'), {
  name: 'KafkaJSRequestTimeoutError',
  retriable: true,
});
const exhausted = (cause: Error) =>
  Object.assign(new Error(cause.message), { name: 'KafkaJSNumberOfRetriesExceeded', retriable: true, cause });

describe('respondToTransactionFailure', () => {
  it('retries a transient failure before the commit request', () => {
    expect(respondToTransactionFailure({ phase: 'send', error: timeout })).toBe('retry');
    expect(respondToTransactionFailure({ phase: 'send', error: exhausted(timeout) })).toBe('retry');
    expect(
      respondToTransactionFailure({ phase: 'send', error: protocolError('CONCURRENT_TRANSACTIONS', true) }),
    ).toBe('retry');
  });

  it('restores and decides again when the commit is in doubt', () => {
    expect(respondToTransactionFailure({ phase: 'commit', error: timeout })).toBe('restore-and-refetch');
  });

  it('restores and decides again after fencing, wherever it happened', () => {
    for (const phase of ['send', 'commit'] as const) {
      expect(respondToTransactionFailure({ phase, error: protocolError('PRODUCER_FENCED', false) })).toBe(
        'restore-and-refetch',
      );
      expect(
        respondToTransactionFailure({
          phase,
          error: exhausted(protocolError('INVALID_PRODUCER_EPOCH', false)),
        }),
      ).toBe('restore-and-refetch');
    }
  });

  it('restores and decides again when the group refused a stale generation offset commit (KIP-447)', () => {
    expect(
      respondToTransactionFailure({ phase: 'send', error: protocolError('ILLEGAL_GENERATION', false) }),
    ).toBe('restore-and-refetch');
    expect(
      respondToTransactionFailure({ phase: 'send', error: protocolError('UNKNOWN_MEMBER_ID', false) }),
    ).toBe('restore-and-refetch');
  });

  it('stops on what no retry can fix', () => {
    expect(
      respondToTransactionFailure({ phase: 'send', error: protocolError('MESSAGE_TOO_LARGE', false) }),
    ).toBe('stop');
    expect(
      respondToTransactionFailure({
        phase: 'send',
        error: protocolError('TRANSACTIONAL_ID_AUTHORIZATION_FAILED', false),
      }),
    ).toBe('stop');
    expect(respondToTransactionFailure({ phase: 'commit', error: new TypeError('x is undefined') })).toBe(
      'stop',
    );
  });
});
