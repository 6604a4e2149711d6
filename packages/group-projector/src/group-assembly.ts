import type { ConsumedMessage } from '@shopfloor/kafka';
import { type GroupRange, partitionKey, type RangeGroup } from './range-group.ts';
import type { PartitionRecords, SinkState } from './sink-state.ts';

// How fetched records become groups, as pure functions of the SinkState: a recorded but unapplied
// group is re-formed from exactly its recorded offsets before any new group is formed, and records
// past its ranges are held back for the next one.

const offsetOf = (m: ConsumedMessage): bigint => BigInt(m.offset);

/**
 * Takes the records of one flush. Records already applied are dropped; records inside the
 * unapplied group's ranges fill that group; the rest are held back. A fetch of a partition of the
 * unapplied group that resumes past its range proves the group applied (its offsets were committed,
 * which happens only after its insert landed). A record fetched twice (a batch re-fetched after a
 * failed flush) is taken once.
 */
export function acceptFetched(state: SinkState, fetched: readonly PartitionRecords[]): SinkState {
  let appliedUpTo = state.appliedUpTo;
  let group = state.unappliedGroup && copyOf(state.unappliedGroup);
  const heldBack = new Map(state.heldBack);
  for (const batch of fetched) {
    const key = partitionKey(batch.topic, batch.partition);
    let fresh = batch.messages.filter((m) => offsetOf(m) > (appliedUpTo.get(key) ?? -1n));
    const range = group?.ranges.get(key);
    if (group && range) {
      if (range.messages.length === 0 && fresh.length > 0 && offsetOf(fresh[0]!) > range.max) {
        appliedUpTo = withGroupApplied(appliedUpTo, group);
        group = undefined;
      } else {
        fresh = fillRange(range, fresh);
      }
    }
    const held = heldBack.get(key)?.messages ?? [];
    const lastHeld = held.length > 0 ? offsetOf(held.at(-1)!) : -1n;
    const added = fresh.filter((m) => offsetOf(m) > lastHeld);
    if (added.length > 0)
      heldBack.set(key, { topic: batch.topic, partition: batch.partition, messages: [...held, ...added] });
  }
  return { ...state, appliedUpTo, unappliedGroup: group, heldBack };
}

/** The state once `group` is in ClickHouse: its partitions are applied up to their max. */
export function markGroupApplied(state: SinkState, group: RangeGroup): SinkState {
  return {
    ...state,
    appliedUpTo: withGroupApplied(state.appliedUpTo, group),
    unappliedGroup: state.unappliedGroup?.markerAt === group.markerAt ? undefined : state.unappliedGroup,
  };
}

/**
 * The next group: every held-back record not yet applied, one range per partition, with a marker
 * time after the previous one (clocks may step back). None while a recorded group is unapplied:
 * groups are applied one at a time, so that only the latest recorded one can be unapplied.
 */
export function formNextGroup(state: SinkState, now: number): RangeGroup | undefined {
  if (state.unappliedGroup) return undefined;
  const ranges = new Map<string, GroupRange>();
  for (const [key, held] of state.heldBack) {
    const messages = held.messages.filter((m) => offsetOf(m) > (state.appliedUpTo.get(key) ?? -1n));
    if (messages.length === 0) continue;
    ranges.set(key, {
      topic: held.topic,
      partition: held.partition,
      min: offsetOf(messages[0]!),
      max: offsetOf(messages.at(-1)!),
      messages,
    });
  }
  if (ranges.size === 0) return undefined;
  return { markerAt: Math.max(now, state.lastMarkerAt + 1), ranges };
}

/** The state once `group` (from formNextGroup) is recorded in sink_offsets: it is the unapplied one. */
export function groupRecorded(state: SinkState, group: RangeGroup): SinkState {
  return { ...state, unappliedGroup: group, heldBack: new Map(), lastMarkerAt: group.markerAt };
}

/** Adds the records of `fresh` that belong to `range` and are not in it yet; returns the ones past it. */
function fillRange(range: GroupRange, fresh: readonly ConsumedMessage[]): ConsumedMessage[] {
  const last = range.messages.length > 0 ? offsetOf(range.messages.at(-1)!) : range.min - 1n;
  const past: ConsumedMessage[] = [];
  for (const m of fresh) {
    const offset = offsetOf(m);
    if (offset > range.max) past.push(m);
    else if (offset > last) range.messages.push(m);
  }
  return past;
}

function withGroupApplied(appliedUpTo: ReadonlyMap<string, bigint>, group: RangeGroup) {
  const next = new Map(appliedUpTo);
  for (const [key, r] of group.ranges) next.set(key, r.max);
  return next;
}

/** A copy whose ranges can take records without changing the group of the state given. */
function copyOf(group: RangeGroup): RangeGroup {
  const ranges = new Map<string, GroupRange>();
  for (const [key, r] of group.ranges) ranges.set(key, { ...r, messages: [...r.messages] });
  return { markerAt: group.markerAt, ranges };
}
