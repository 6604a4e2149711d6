import type { SinkOffsetRow } from '@shopfloor/clickhouse';
import type { ConsumedMessage } from '@shopfloor/kafka';

/** Identifies one topic partition in the projector's maps. */
export const partitionKey = (topic: string, partition: number): string => `${topic}:${partition}`;

/** The records [min, max] of one topic partition that belong to a group insert. */
export type GroupRange = {
  topic: string;
  partition: number;
  min: bigint;
  max: bigint;
  /** The records, in offset order (empty while a recorded group is being re-formed). */
  messages: ConsumedMessage[];
};

/**
 * The ranges of several partitions inserted together. `markerAt` is the time its markers carry in
 * sink_offsets: it tells the latest recorded group apart and is part of its dedup token.
 */
export type RangeGroup = { markerAt: number; ranges: Map<string, GroupRange> };

/**
 * The group's deduplication token: its marker time and every range, in a fixed order. It is made
 * only of what sink_offsets records, so a re-formed group gets the very token of the first try.
 */
export function groupToken(group: RangeGroup): string {
  const ranges = [...group.ranges.values()]
    .map((r) => `${r.topic}:${r.partition}:${r.min}-${r.max}`)
    .sort()
    .join(',');
  return `g${group.markerAt}|${ranges}`;
}

/** The recorded group to re-form after a restart (the markers sharing the latest time), if any. */
export function rangeGroupFromMarkers(markers: readonly SinkOffsetRow[]): RangeGroup | undefined {
  if (markers.length === 0) return undefined;
  const ranges = new Map<string, GroupRange>();
  for (const m of markers) {
    ranges.set(partitionKey(m.topic, m.partition), {
      topic: m.topic,
      partition: m.partition,
      min: BigInt(m.minOffset),
      max: BigInt(m.maxOffset),
      messages: [],
    });
  }
  return { markerAt: markers[0]!.updatedAt, ranges };
}

/** The sink_offsets rows that record the group before it is inserted. */
export function markersOf(group: RangeGroup): SinkOffsetRow[] {
  return [...group.ranges.values()].map((r) => ({
    topic: r.topic,
    partition: r.partition,
    minOffset: Number(r.min),
    maxOffset: Number(r.max),
    updatedAt: group.markerAt,
  }));
}

/** The offsets to commit once the group is applied: the next record of every range's partition. */
export function offsetsToCommit(group: RangeGroup): { topic: string; partition: number; offset: string }[] {
  return [...group.ranges.values()].map((r) => ({
    topic: r.topic,
    partition: r.partition,
    offset: (r.max + 1n).toString(),
  }));
}

/** Whether every range holds its records up to its max (a re-formed group can be inserted). */
export function isFullyFetched(group: RangeGroup): boolean {
  return [...group.ranges.values()].every((r) => {
    const last = r.messages.at(-1);
    return last !== undefined && BigInt(last.offset) >= r.max;
  });
}

/** How many records the group holds. */
export const recordCount = (group: RangeGroup): number =>
  [...group.ranges.values()].reduce((n, r) => n + r.messages.length, 0);
