import { describe, expect, it } from 'vitest';
import { alertIdFor, fromTimeOrderedKey, readingKey, seriesKey, timeOrderedKey } from './reading-identity.ts';

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

describe('timeOrderedKey', () => {
  const at = (equipmentId: string, timestampMs: number) =>
    readingKey({ ...base, readingId: null, equipmentId, timestampMs });

  it('leads a derived identity with its timestamp, so identities sort by time whatever the equipment', () => {
    const keys = [at('Z-9', 1_764_000_000_002), at('A-1', 1_764_000_000_001), at('M-5', 1_764_000_000_000)];
    const sorted = keys.map(timeOrderedKey).sort();
    expect(sorted.map(fromTimeOrderedKey)).toEqual([...keys].reverse());
    expect(timeOrderedKey(at('A-1', 1_764_000_000_001))).toBe('\u001f1764000000001\u001fA-1\u001fpressure');
  });

  it('leaves a readingId identity as it is', () => {
    const k = readingKey({ ...base, readingId: 'R-1' });
    expect(timeOrderedKey(k)).toBe(k);
    expect(fromTimeOrderedKey(k)).toBe(k);
  });

  it('round-trips any key, and keeps distinct keys distinct (ids that look like derived keys included)', () => {
    const keys = [
      at('EQ-1', 1_000),
      at('EQ-1', 1_001),
      at('EQ-10', 1_000),
      readingKey({ ...base, readingId: null, sensorType: 'voltage' }),
      readingKey({ ...base, readingId: '1000' }),
      readingKey({ ...base, readingId: 'at' }),
      at('', -5),
      'at\u001fx', // not a derived identity's shape: kept as it is
      'b',
    ];
    const ordered = keys.map(timeOrderedKey);
    expect(new Set(ordered).size).toBe(keys.length);
    expect(ordered.map(fromTimeOrderedKey)).toEqual(keys);
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
