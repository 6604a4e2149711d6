import type { ReceivedEvent } from './event.ts';
import { type IdentityPayload, payloadKey } from './identity.ts';

/**
 * What the dedupe processor keeps per eventId: the current winner, with enough of it to retract it
 * later. `version` is 1 for the first winner and grows by 1 with each update. `receivedAt` is the
 * newest receive time seen for the winning payload (see `decide`).
 */
export type WinnerState = IdentityPayload & {
  eventId: string;
  receivedAt: number;
  version: number;
  payloadKey: string;
};

/**
 * The outcome of one incoming version.
 * - `accepted`: first version of this eventId; store `next`.
 * - `deduped`: identical payload. `next` is null when nothing changes, or the same winner with a
 *   newer `receivedAt` (same `version`) when the duplicate was received later: storing it keeps the
 *   decision independent of arrival order. Emits no change rows either way.
 * - `updated`: different payload received later (or at the same ms with the greater payloadKey);
 *   retract `previous`, store and project `next`.
 * - `stale`: different payload that loses to `current`; ignored, counted as deduped.
 */
export type Decision =
  | { kind: 'accepted'; next: WinnerState }
  | { kind: 'deduped'; current: WinnerState; next: WinnerState | null }
  | { kind: 'updated'; previous: WinnerState; next: WinnerState }
  | { kind: 'stale'; current: WinnerState };

export type DecisionKind = Decision['kind'];
export const DECISION_KINDS = [
  'accepted',
  'deduped',
  'updated',
  'stale',
] as const satisfies readonly DecisionKind[];

/** How callers count a decision in a batch outcome: stale versions count as deduped. */
export type CountedAs = 'accepted' | 'deduped' | 'updated';

export function countedAs(kind: DecisionKind): CountedAs {
  switch (kind) {
    case 'accepted':
      return 'accepted';
    case 'updated':
      return 'updated';
    case 'deduped':
    case 'stale':
      return 'deduped';
  }
}

/** The winner state of an incoming version. */
export function winnerFromEvent(incoming: ReceivedEvent, version: number): WinnerState {
  const { eventId, machineId, lineId, factoryId, durationMs, defectCount } = incoming.event;
  return {
    eventId,
    eventTimeMs: incoming.eventTimeMs,
    machineId,
    lineId,
    factoryId,
    durationMs,
    defectCount,
    receivedAt: incoming.receivedAt,
    version,
    payloadKey: payloadKey(incoming),
  };
}

/**
 * Total order on versions: newer `receivedAt` wins; on equal `receivedAt` the greater payloadKey
 * (JS string order, i.e. UTF-16 code units) wins. Positive when `a` beats `b`.
 */
export function compareVersions(
  a: { receivedAt: number; payloadKey: string },
  b: { receivedAt: number; payloadKey: string },
): number {
  if (a.receivedAt !== b.receivedAt) return a.receivedAt > b.receivedAt ? 1 : -1;
  if (a.payloadKey === b.payloadKey) return 0;
  return a.payloadKey > b.payloadKey ? 1 : -1;
}

/**
 * THE dedupe decision, pure. `current` is the stored winner of `incoming.event.eventId`, if any.
 *
 * The stored state is always the maximum, under `compareVersions`, of every version seen, so any
 * arrival order of the same versions ends with the same winning payload and `receivedAt` (only
 * `version`, which counts updates, depends on the order). Throws if `current` belongs to another
 * eventId: that is a caller bug, not bad data.
 */
export function decide(current: WinnerState | undefined, incoming: ReceivedEvent): Decision {
  if (current === undefined) return { kind: 'accepted', next: winnerFromEvent(incoming, 1) };
  if (current.eventId !== incoming.event.eventId) {
    throw new Error(`decide: state of ${current.eventId} given for ${incoming.event.eventId}`);
  }
  const key = payloadKey(incoming);
  if (key === current.payloadKey) {
    const next =
      incoming.receivedAt > current.receivedAt ? { ...current, receivedAt: incoming.receivedAt } : null;
    return { kind: 'deduped', current, next };
  }
  if (compareVersions({ receivedAt: incoming.receivedAt, payloadKey: key }, current) > 0) {
    return { kind: 'updated', previous: current, next: winnerFromEvent(incoming, current.version + 1) };
  }
  return { kind: 'stale', current };
}

/** The state to store after a decision, or null when the stored state does not change. */
export function stateToStore(decision: Decision): WinnerState | null {
  switch (decision.kind) {
    case 'accepted':
    case 'updated':
    case 'deduped':
      return decision.next;
    case 'stale':
      return null;
  }
}

/** The winner after a decision, whether or not it changed. */
export function winnerAfter(decision: Decision): WinnerState {
  switch (decision.kind) {
    case 'accepted':
    case 'updated':
      return decision.next;
    case 'deduped':
      return decision.next ?? decision.current;
    case 'stale':
      return decision.current;
  }
}
