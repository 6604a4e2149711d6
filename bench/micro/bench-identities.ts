import { readingKey } from '@shopfloor/sensors';

/** The first reading's timestamp of `benchIdentity`; reading i is 1 ms after reading i - 1. */
export const FIRST_READING_MS = Date.parse('2026-12-02T14:00:00Z');

/**
 * Reading i's identity as the bench's alert run makes them (no readingId: equipment, type,
 * timestamp; 200 pieces of equipment in turn, timestamps 1 ms apart), for the identity micro-benchmarks.
 */
export const benchIdentity = (i: number): string =>
  readingKey({
    readingId: null,
    equipmentId: `r2026-12-02T16-52-58-101Z-s-alert-E${i % 200}`,
    sensorType: 'temperature',
    timestampMs: FIRST_READING_MS + i,
  });
