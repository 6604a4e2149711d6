import { z } from 'zod';
import type { WinnerState } from './dedupe-decision.ts';
import { payloadKey } from './identity.ts';
import { type DecodeResult, decoder, type Flat, v1, winnerVersionShape } from './wire-common.ts';

// ---- events.state (key: eventId; null value = tombstone) ----------------------------------------

export type StateRecord = Flat<{ v: 1 } & WinnerState>;

export const stateRecordSchema = z
  .object({ v: v1, ...winnerVersionShape, payloadKey: z.string() })
  .refine((r) => r.payloadKey === payloadKey(r), {
    message: 'payloadKey does not match the payload fields',
    path: ['payloadKey'],
  });

const decodeStateValue = decoder<StateRecord>(stateRecordSchema);

/** Decodes a state value; `null` (a tombstone: the eventId has no state) decodes to `null`. */
export function decodeStateRecord(input: unknown): DecodeResult<StateRecord | null> {
  return input === null ? { ok: true, value: null } : decodeStateValue(input);
}

export function stateRecordFor(w: WinnerState): StateRecord {
  // Field by field, not spread: one per decided event on the dedupe consumer's hot path.
  return {
    v: 1,
    eventId: w.eventId,
    eventTimeMs: w.eventTimeMs,
    machineId: w.machineId,
    lineId: w.lineId,
    factoryId: w.factoryId,
    durationMs: w.durationMs,
    defectCount: w.defectCount,
    receivedAt: w.receivedAt,
    version: w.version,
    payloadKey: w.payloadKey,
  };
}

export function winnerOf(record: StateRecord): WinnerState {
  const { v: _v, ...w } = record;
  return w;
}
