import { describe, expect, test } from 'vitest';
import { isIngestRequest } from './route-forwarding.ts';

describe('isIngestRequest: what the gateway process answers itself in the split topology', () => {
  test('POST /events/batch, with its query string and under the alias prefix', () => {
    expect(isIngestRequest('POST', '/events/batch')).toBe(true);
    expect(isIngestRequest('POST', '/events/batch?mode=async')).toBe(true);
    expect(isIngestRequest('POST', '/api/v1/events/batch?mode=async')).toBe(true);
  });

  test('everything else is forwarded: other methods, the batch lookup, the metric-events routes', () => {
    expect(isIngestRequest('GET', '/events/batch')).toBe(false);
    expect(isIngestRequest('GET', '/events/batch/3f1c')).toBe(false);
    expect(isIngestRequest('POST', '/events/batch-metrics')).toBe(false);
    expect(isIngestRequest('POST', '/events')).toBe(false);
    expect(isIngestRequest('POST', '/events/batch/')).toBe(false);
    expect(isIngestRequest('POST', undefined)).toBe(false);
  });
});
