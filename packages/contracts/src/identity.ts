import type { ReceivedEventDraft } from './event.ts';

/**
 * The payload that decides whether two versions of one eventId are identical: every field but the
 * eventId itself and the receive time. `eventTime` is compared as an instant (epoch ms), so
 * `2026-01-01T00:00:00Z`, `2026-01-01T00:00:00.000Z` and `2026-01-01T01:00:00+01:00` are the same.
 * A `WinnerState` is an `IdentityPayload`.
 */
export type IdentityPayload = {
  eventTimeMs: number;
  machineId: string;
  lineId: string;
  factoryId: string;
  durationMs: number;
  defectCount: number;
};

/** The identity payload of a validated event. */
export function payloadOf(draft: ReceivedEventDraft): IdentityPayload {
  const { machineId, lineId, factoryId, durationMs, defectCount } = draft.event;
  return { eventTimeMs: draft.eventTimeMs, machineId, lineId, factoryId, durationMs, defectCount };
}

/**
 * The canonical string of an identity payload: the JSON array
 * `[eventTimeMs, machineId, lineId, factoryId, durationMs, defectCount]`, e.g.
 * `[1767225600000,"M-1","L-1","F-1",1200,0]`. Accepts a payload or a validated event.
 *
 * It is injective (JSON escapes quotes and backslashes, so no two payloads share a key) and stable:
 * it is stored in `events.state` and breaks ties between versions received in the same ms, so its
 * format is a wire format, pinned by fixtures. Changing it requires migrating the state topic.
 */
export function payloadKey(payloadOrEvent: IdentityPayload | ReceivedEventDraft): string {
  const p = 'event' in payloadOrEvent ? payloadOf(payloadOrEvent) : payloadOrEvent;
  return JSON.stringify([p.eventTimeMs, p.machineId, p.lineId, p.factoryId, p.durationMs, p.defectCount]);
}

/** Whether two payloads (or validated events) are identical in the dedupe sense. */
export function samePayload(
  a: IdentityPayload | ReceivedEventDraft,
  b: IdentityPayload | ReceivedEventDraft,
): boolean {
  return payloadKey(a) === payloadKey(b);
}
