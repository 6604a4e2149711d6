import { createHash } from 'node:crypto';
import type { SensorReading, SensorType } from './reading.ts';

// Ids never contain control characters (validation rejects them), so U+001F cannot occur inside a
// part: the joined key is unambiguous, and the two prefixes keep a device's readingId from ever
// colliding with a derived identity.
const SEPARATOR = '\u001f';

/**
 * The identity a reading is deduplicated by: its `readingId` when it has one, otherwise
 * (equipmentId, sensorType, timestamp instant). The same instant written two ways (`Z` vs `+00:00`)
 * is the same reading.
 */
export function readingKey(
  reading: Pick<SensorReading, 'readingId' | 'equipmentId' | 'sensorType' | 'timestampMs'>,
): string {
  if (reading.readingId !== null) return `id${SEPARATOR}${reading.readingId}`;
  return ['at', reading.equipmentId, reading.sensorType, String(reading.timestampMs)].join(SEPARATOR);
}

/** The key of one rolling window: one per (equipmentId, sensorType). */
export function seriesKey(equipmentId: string, sensorType: SensorType): string {
  return `${equipmentId}${SEPARATOR}${sensorType}`;
}

/**
 * The id of the alert a reading raises: a hash of the reading's identity, so a replay or a rebuild
 * raises the alert under the same id, and one reading can never raise two alerts.
 */
export function alertIdFor(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}
