import type { DecisionKind } from '@shopfloor/contracts';

/**
 * What each service reports, as ports: the steps and runners call these (passed in their deps),
 * never a global registry. `noMetrics` reports nothing, for callers that do not export metrics.
 */
export interface GatewayMetrics {
  /** A batch is durable in Kafka: `published` valid events on events.raw, `rejectionReasons` on the dlq. */
  batchPublished(batch: { published: number; rejectionReasons: readonly string[] }): void;
  /** Events waiting for Kafka's acknowledgement across all requests. */
  inflightEvents(count: number): void;
}

export interface DedupeMetrics {
  /** A partition batch's transaction committed. */
  batchCommitted(batch: {
    records: number;
    decisions: readonly DecisionKind[];
    invalid: number;
    evicted: number;
    found: number;
    transactionSeconds: number;
  }): void;
  transactionFailed(phase: 'send' | 'commit'): void;
  /** One restore of the partitions that needed one. */
  stateRestored(restore: { records: number; seconds: number }): void;
  /** Where the state entries per held partition are read at scrape time. */
  sampleStateEntries(source: () => readonly { partition: number; entries: number }[]): void;
}

export type ProjectorTable = 'sink_offsets' | 'event_changes' | 'rejected_events' | 'batch_events';

export interface ProjectorMetrics {
  inserted(insert: { table: ProjectorTable; rows: number; seconds: number }): void;
  groupApplied(group: {
    partitions: number;
    records: number;
    invalidRecords: number;
    seconds: number;
    reapplied: boolean;
  }): void;
}

const nothing = () => {};

export const noMetrics: { gateway: GatewayMetrics; dedupe: DedupeMetrics; projector: ProjectorMetrics } = {
  gateway: { batchPublished: nothing, inflightEvents: nothing },
  dedupe: {
    batchCommitted: nothing,
    transactionFailed: nothing,
    stateRestored: nothing,
    sampleStateEntries: nothing,
  },
  projector: { inserted: nothing, groupApplied: nothing },
};
