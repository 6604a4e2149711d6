import { describe, expect, it } from 'vitest';
import { isRetryNoise, type KafkaLogRecord } from './client.ts';

const record = (namespace: string, message: string, extra: Record<string, unknown> = {}): KafkaLogRecord => ({
  level: 'error',
  namespace,
  message,
  extra,
});

describe('isRetryNoise', () => {
  it('drops error responses and retry attempts that kafkajs handles itself', () => {
    expect(isRetryNoise(record('Connection', 'Response Heartbeat(key: 12, version: 3)'))).toBe(true);
    expect(
      isRetryNoise(record('Producer', 'Failed to send messages', { retryCount: 0, retryTime: 50 })),
    ).toBe(true);
  });

  it('keeps everything else', () => {
    expect(isRetryNoise(record('Consumer', 'Crash: KafkaJSNumberOfRetriesExceeded'))).toBe(false);
    expect(isRetryNoise(record('Connection', 'Connection error: ECONNREFUSED'))).toBe(false);
  });
});
