import type { SinkOffsetRow } from '@shopfloor/clickhouse';
import type { ConsumedMessage } from '@shopfloor/kafka';

/** The records [min, max] of one topic partition that belong to a group insert. */
export type GroupRange = {
  topic: string;
  partition: number;
  min: bigint;
  max: bigint;
  /** The records, in offset order (empty while a recorded group is being re-formed). */
  messages: ConsumedMessage[];
};

/** The ranges of several partitions inserted together; `updatedAt` is the group's marker time. */
export type RangeGroup = { updatedAt: number; ranges: Map<string, GroupRange> };

/**
 * The group's deduplication token: its marker time and every range, in a fixed order. It is made
 * only of what sink_offsets records, so a re-formed group gets the very token of the first try.
 */
export function groupToken(group: RangeGroup): string {
  const ranges = [...group.ranges.values()]
    .map((r) => `${r.topic}:${r.partition}:${r.min}-${r.max}`)
    .sort()
    .join(',');
  return `g${group.updatedAt}|${ranges}`;
}

/** The recorded group to re-form after a restart (the markers sharing the latest time), if any. */
export function rangeGroupFromMarkers(markers: readonly SinkOffsetRow[]): RangeGroup | undefined {
  if (markers.length === 0) return undefined;
  const ranges = new Map<string, GroupRange>();
  for (const m of markers) {
    ranges.set(`${m.topic}:${m.partition}`, {
      topic: m.topic,
      partition: m.partition,
      min: BigInt(m.minOffset),
      max: BigInt(m.maxOffset),
      messages: [],
    });
  }
  return { updatedAt: markers[0]!.updatedAt, ranges };
}
