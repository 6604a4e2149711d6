import type { ConsumedMessage } from '@shopfloor/kafka';
import type { RangeGroup } from './range-group.ts';

/** The records of one topic partition as one fetch delivered them, in offset order. */
export type PartitionRecords = {
  topic: string;
  partition: number;
  messages: readonly ConsumedMessage[];
};

/**
 * What the projector knows of its sink between two groups. Values, not objects: the pure functions
 * of sink-recovery.ts and group-assembly.ts return a new state and never change the one given.
 */
export type SinkState = {
  /** Per partition key, the last offset known to be in ClickHouse. */
  appliedUpTo: ReadonlyMap<string, bigint>;
  /** The latest group recorded in sink_offsets, until it is known to be applied. */
  unappliedGroup: RangeGroup | undefined;
  /** Records fetched past the unapplied group's ranges (or not yet in a group), per partition key. */
  heldBack: ReadonlyMap<string, PartitionRecords>;
  /** The marker time of the latest recorded group: the next group gets a later one. */
  lastMarkerAt: number;
};
