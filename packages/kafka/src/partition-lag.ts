import type { CommittedOffset, PartitionRange } from './admin-queries.ts';

/** How far a group is behind on one partition. */
export interface PartitionLagOf {
  topic: string;
  partition: number;
  /** Next offset the group will read; undefined when it never committed on this partition. */
  committed: bigint | undefined;
  /** Log end offset (high watermark). */
  logEnd: bigint;
  /** Records not yet consumed: logEnd − committed, or logEnd − logStart without a commit. */
  lag: bigint;
}

/**
 * The lag of one committed offset against its partition's log range (a missing range counts as an
 * empty log). Without a commit the group will start at the log start, so that is what it lags by.
 */
export function partitionLag(committed: CommittedOffset, range: PartitionRange | undefined): PartitionLagOf {
  const start = range?.start ?? 0n;
  const logEnd = range?.end ?? 0n;
  const behind = logEnd - (committed.offset ?? start);
  return {
    topic: committed.topic,
    partition: committed.partition,
    committed: committed.offset,
    logEnd,
    lag: behind < 0n ? 0n : behind,
  };
}
