import { z } from 'zod';
import { parseIsoInstant } from './instant.ts';

/** Longest id, counted in Unicode code points (not UTF-16 units). */
export const MAX_ID_CODE_POINTS = 128;
/** Longest accepted `durationMs`: 6 hours. `0` and exactly 6 h are accepted. */
export const MAX_DURATION_MS = 21_600_000;
/** How far `eventTime` may lie after "now": 15 minutes, inclusive. */
export const MAX_FUTURE_SKEW_MS = 900_000;
/** `defectCount` meaning "unknown": counts as an event, never as defects. */
export const UNKNOWN_DEFECT_COUNT = -1;
/** Earliest eventTime stored (ClickHouse DateTime64 starts at 1900); later ones are bounded by the future rule. */
export const MIN_EVENT_TIME_MS = Date.UTC(1900, 0, 1);

/** The identifying fields of an event, in the order validation checks them. */
export const EVENT_FIELDS = [
  'eventId',
  'eventTime',
  'machineId',
  'lineId',
  'factoryId',
  'durationMs',
  'defectCount',
] as const;
export type EventField = (typeof EVENT_FIELDS)[number];
export const ID_FIELDS = ['eventId', 'machineId', 'lineId', 'factoryId'] as const;
export type IdField = (typeof ID_FIELDS)[number];

/**
 * One machine event as a machine sent it, after validation. `eventTime` is the string as received
 * (so the log keeps exactly what was sent); its instant is carried separately as `eventTimeMs`.
 * A client's `receivedTime` and any unknown field are not part of it.
 */
export type MachineEvent = {
  eventId: string;
  eventTime: string;
  machineId: string;
  lineId: string;
  factoryId: string;
  durationMs: number;
  defectCount: number;
};

/** A validated event and its instant; what validation produces before the gateway stamps it. */
export type ReceivedEventDraft = { event: MachineEvent; eventTimeMs: number };

/** A validated event as the gateway accepted it. `receivedAt` is epoch ms stamped by the gateway. */
export type ReceivedEvent = ReceivedEventDraft & { receivedAt: number };

// A lone surrogate (\p{Cs} under the `u` flag) is not Unicode text: UTF-8 encoders replace it with
// U+FFFD, so two different ids would collide on the wire. It is rejected with the control characters.
const FORBIDDEN_ID_CHAR = /[\p{Cc}\p{Cs}]/u;

/** Length of `s` in Unicode code points. */
export function codePointLength(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}

/**
 * Why `s` is not a valid id, or `null` when it is. Valid: 1–128 code points, no control character
 * (Unicode category Cc, e.g. U+0000–U+001F, U+007F–U+009F) and no unpaired surrogate. Everything
 * else is allowed as-is, including spaces, quotes, backslashes, emoji and CJK; ids are not trimmed.
 */
export function idProblem(s: string): string | null {
  if (isPlainId(s)) return null;
  if (s.length === 0) return 'must not be empty';
  const length = codePointLength(s);
  if (length > MAX_ID_CODE_POINTS) {
    return `must be at most ${MAX_ID_CODE_POINTS} Unicode code points, got ${length}`;
  }
  const bad = FORBIDDEN_ID_CHAR.exec(s);
  if (bad !== null) {
    const cp = bad[0].codePointAt(0) ?? 0;
    const hex = cp.toString(16).toUpperCase().padStart(4, '0');
    const what = cp >= 0xd800 && cp <= 0xdfff ? 'an unpaired surrogate' : 'a control character';
    return `must not contain ${what} (U+${hex} at code point ${codePointLength(s.slice(0, bad.index))})`;
  }
  return null;
}

/**
 * The common case of a valid id, checked without iterating code points or running the regex (every
 * event has four ids): 1–128 UTF-16 units (so at most 128 code points), none a control character
 * or a surrogate. False does not mean invalid (a surrogate pair is fine): `idProblem` then decides.
 */
function isPlainId(s: string): boolean {
  if (s.length === 0 || s.length > MAX_ID_CODE_POINTS) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff)) return false;
  }
  return true;
}

/** Whether `s` is a valid id (see `idProblem`). */
export function isValidId(s: string): boolean {
  return idProblem(s) === null;
}

/** Epoch ms of a valid `eventTime` (ISO-8601 with a zone, ms precision), or `null`. */
export function parseEventTime(s: string): number | null {
  const ms = parseIsoInstant(s);
  return ms !== null && ms >= MIN_EVENT_TIME_MS ? ms : null;
}

/** An id: 1–128 code points, no control characters. */
export const idSchema = z.string().refine(isValidId, { message: 'invalid id' });

/** An ISO-8601 instant with a zone. */
export const eventTimeSchema = z.string().refine((s) => parseEventTime(s) !== null, {
  message: 'invalid eventTime: ISO-8601 with a zone, from 1900 on, expected',
});

/**
 * A machine event that passed every rule except the clock-dependent one (future eventTime). This is
 * what `events.raw` carries; use `validateEvent` for input from machines, which reports precise
 * reason codes. Unknown fields (a client's `receivedTime` included) are stripped.
 */
export const machineEventSchema = z.object({
  eventId: idSchema,
  eventTime: eventTimeSchema,
  machineId: idSchema,
  lineId: idSchema,
  factoryId: idSchema,
  durationMs: z.int().min(0).max(MAX_DURATION_MS),
  defectCount: z.int().min(UNKNOWN_DEFECT_COUNT),
});

/** The `ReceivedEvent` of a stored event whose `eventTime` is known to be valid. Throws if it is not. */
export function toReceivedEvent(event: MachineEvent, receivedAt: number): ReceivedEvent {
  const eventTimeMs = parseIsoInstant(event.eventTime);
  if (eventTimeMs === null) throw new TypeError(`toReceivedEvent: invalid eventTime ${event.eventTime}`);
  return { event, eventTimeMs, receivedAt };
}
