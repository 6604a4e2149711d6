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

const DERIVED = `at${SEPARATOR}`;

/**
 * The same identity with a derived key's timestamp moved to the front (`SEP ts SEP equipmentId SEP
 * sensorType`), so derived identities sort by time: a B-tree store (the sensor service's LMDB) then
 * inserts the newest readings next to each other instead of all over the tree (a new identity
 * 2.8 us instead of 7.3, `bench/micro/identity-writes.ts`). Any other string is returned as it is;
 * only a time-ordered key starts with the separator (readingKey's never do), so the two cannot meet.
 * Order is numeric only for 13-digit timestamps (2001-2286); outside them only speed suffers.
 */
export function timeOrderedKey(key: string): string {
  if (!key.startsWith(DERIVED)) return key;
  const ts = key.lastIndexOf(SEPARATOR);
  if (ts < DERIVED.length) return key; // not (equipmentId, sensorType, ts): left as it is
  return `${SEPARATOR}${key.slice(ts + 1)}${SEPARATOR}${key.slice(DERIVED.length, ts)}`;
}

/** The identity `timeOrderedKey` was made from. */
export function fromTimeOrderedKey(ordered: string): string {
  if (!ordered.startsWith(SEPARATOR)) return ordered;
  const ts = ordered.indexOf(SEPARATOR, 1);
  return `${DERIVED}${ordered.slice(ts + 1)}${SEPARATOR}${ordered.slice(1, ts)}`;
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
