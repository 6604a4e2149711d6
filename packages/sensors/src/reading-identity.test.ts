import { describe, expect, it } from 'vitest';
import { alertIdFor, readingKey, seriesKey } from './reading-identity.ts';

const base = { equipmentId: 'EQ-1', sensorType: 'pressure' as const, timestampMs: 1_000 };

describe('readingKey', () => {
  it('is the readingId when there is one, whatever the other fields', () => {
    expect(readingKey({ ...base, readingId: 'R-1' })).toBe(
      readingKey({ ...base, readingId: 'R-1', timestampMs: 2 }),
    );
  });

  it('is (equipmentId, sensorType, instant) without a readingId', () => {
    const k = readingKey({ ...base, readingId: null });
    expect(readingKey({ ...base, readingId: null })).toBe(k);
    expect(readingKey({ ...base, readingId: null, timestampMs: 1_001 })).not.toBe(k);
    expect(readingKey({ ...base, readingId: null, sensorType: 'voltage' })).not.toBe(k);
    expect(readingKey({ ...base, readingId: null, equipmentId: 'EQ-2' })).not.toBe(k);
  });

  it('never confuses a readingId with a derived identity', () => {
    const derived = readingKey({ ...base, readingId: null });
    expect(readingKey({ ...base, readingId: derived.replace(/^at/, '') })).not.toBe(derived);
    expect(readingKey({ ...base, readingId: 'at' })).not.toBe(derived);
  });
});

describe('seriesKey and alertIdFor', () => {
  it('separates equipment ids that share a prefix', () => {
    expect(seriesKey('EQ-1', 'pressure')).not.toBe(seriesKey('EQ-1p', 'ressure' as 'pressure'));
  });

  it('derives a stable 32-hex alert id from the reading identity', () => {
    expect(alertIdFor('x')).toMatch(/^[0-9a-f]{32}$/);
    expect(alertIdFor('x')).toBe(alertIdFor('x'));
    expect(alertIdFor('x')).not.toBe(alertIdFor('y'));
  });
});
