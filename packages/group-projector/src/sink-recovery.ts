import type { SinkOffsetRow } from '@shopfloor/clickhouse';
import { partitionKey, type RangeGroup, rangeGroupFromMarkers } from './range-group.ts';
import type { SinkState } from './sink-state.ts';

/** The projector group's committed offset of one partition (the next record to read; -1: none). */
export type CommittedOffset = { topic: string; partition: number; offset: bigint };

/**
 * Where the projector stands after a restart, from what sink_offsets recorded and what its
 * consumer group committed. Groups are recorded and applied one at a time, so every group but the
 * latest recorded one is applied: its partitions are applied up to their max. The latest one is
 * applied too when a committed offset lies past one of its ranges (its offsets are committed in one
 * request, and only after its insert landed); otherwise it is the unapplied group, to be re-formed
 * from exactly its recorded offsets.
 */
export function recoverSinkState(
  markers: readonly SinkOffsetRow[],
  committed: readonly CommittedOffset[],
): SinkState {
  const lastMarkerAt = markers.reduce((latest, m) => Math.max(latest, m.updatedAt), 0);
  const latest = markers.filter((m) => m.updatedAt === lastMarkerAt);
  const appliedUpTo = new Map<string, bigint>();
  for (const m of markers) {
    const max = BigInt(m.maxOffset);
    appliedUpTo.set(
      partitionKey(m.topic, m.partition),
      m.updatedAt === lastMarkerAt ? BigInt(m.minOffset) - 1n : max,
    );
  }
  let unappliedGroup = rangeGroupFromMarkers(latest);
  if (unappliedGroup && committedPast(unappliedGroup, committed)) {
    for (const [key, r] of unappliedGroup.ranges) appliedUpTo.set(key, r.max);
    unappliedGroup = undefined;
  }
  return { appliedUpTo, unappliedGroup, heldBack: new Map(), lastMarkerAt };
}

/** Whether a committed offset lies past one of the group's ranges (one commit covers them all). */
function committedPast(group: RangeGroup, committed: readonly CommittedOffset[]): boolean {
  return committed.some((c) => {
    const range = group.ranges.get(partitionKey(c.topic, c.partition));
    return range !== undefined && c.offset >= 0n && c.offset > range.max;
  });
}
