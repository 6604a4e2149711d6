import { payloadKey, type WinnerState } from '@shopfloor/contracts';
import type { StateValue } from './state-store.ts';

/**
 * How a state value is laid out in the LMDB store (which writes it with msgpack): `toStored` on
 * write, `fromStored` (with the value's key) on read. A layout may drop what the key or the rest
 * of the value gives back; the store's values are a local copy of the changelog, so the layout
 * can change between versions as long as `fromStored` still reads what older versions wrote.
 */
export type StoredLayout<V extends StateValue> = {
  toStored(value: V): unknown;
  fromStored(key: string, stored: unknown): V;
  /** The value's `receivedAt` without rebuilding the value (the horizon sweep reads only that). */
  receivedAtOf(stored: unknown): number;
};

/** Values stored as they are (msgpack of the object, its field names included). */
export function storedAsIs<V extends StateValue>(): StoredLayout<V> {
  return {
    toStored: (value) => value,
    fromStored: (_key, stored) => stored as V,
    receivedAtOf: (stored) => (stored as V).receivedAt,
  };
}

/** A winner as stored: no field names, no eventId (the key) and no payloadKey (derived). */
type StoredWinner = [
  receivedAt: number,
  version: number,
  eventTimeMs: number,
  machineId: string,
  lineId: string,
  factoryId: string,
  durationMs: number,
  defectCount: number,
];

/**
 * The events' winners as a tuple: 53 bytes against 235 for the object with its field names, which
 * makes the state's file (and the pages of it a process maps) 0.36x, a write 0.61x and a read 0.58x
 * as costly (bench/README, "Memory": the state's mapped pages are what grows the pipeline's RSS). Winners
 * written as objects by earlier versions are read as they are.
 */
export const winnerLayout: StoredLayout<WinnerState> = {
  toStored: (w): StoredWinner => [
    w.receivedAt,
    w.version,
    w.eventTimeMs,
    w.machineId,
    w.lineId,
    w.factoryId,
    w.durationMs,
    w.defectCount,
  ],
  fromStored(eventId, stored) {
    if (!Array.isArray(stored)) return stored as WinnerState;
    const [receivedAt, version, eventTimeMs, machineId, lineId, factoryId, durationMs, defectCount] =
      stored as StoredWinner;
    const payload = { eventTimeMs, machineId, lineId, factoryId, durationMs, defectCount };
    return { eventId, ...payload, receivedAt, version, payloadKey: payloadKey(payload) };
  },
  receivedAtOf: (stored) =>
    Array.isArray(stored) ? (stored as StoredWinner)[0] : (stored as WinnerState).receivedAt,
};
