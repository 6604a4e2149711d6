import type { StepResult } from '@shopfloor/contracts';
import type { OutgoingMessage } from '@shopfloor/kafka';
import type { RangeGroup } from './range-group.ts';
import type { Heartbeat, RetryWithHeartbeat } from './retry-with-heartbeat.ts';

// The one part of a projector that is the stream's own: how a recorded group is applied.

export type GroupToApply = { group: RangeGroup; heartbeat: Heartbeat };

/** What a group came to, for the projector's counters. */
export type AppliedGroup = {
  changeRows: number;
  outcomes: number;
  invalidRecords: number;
  /** Records as the stream counts them when a Kafka record holds several (a change batch holds a
   * transaction's decisions); absent: one per Kafka record of the group. */
  records?: number;
};

/** What a stream's apply step gets from the wiring once the consumer (and producer) exist. */
export type GroupProjectorIo = {
  /** Sends to several topics in one request (idempotent producer); throws when `publishes` is off. */
  publish: (topicMessages: { topic: string; messages: OutgoingMessage[] }[]) => Promise<unknown>;
  /** Commits the consumer group's offsets of every partition of a group in one request. */
  commitOffsets: (offsets: { topic: string; partition: number; offset: string }[]) => Promise<void>;
  retry: RetryWithHeartbeat;
};

/**
 * Applies a recorded group exactly once in effect: writes it with tokens derived from its ranges
 * (so applying it again inserts nothing new), then commits its offsets. `dlq` stops the projector.
 */
export type ApplyGroup = (input: GroupToApply) => Promise<StepResult<AppliedGroup>>;
