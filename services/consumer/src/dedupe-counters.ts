import type { ChangeRecord } from '@shopfloor/contracts';
import type { RestoreReport } from '@shopfloor/stream-runner';

/** What a dedupe member has done since it started (read by the bench and the tests). */
export type DedupeCounters = {
  /** Committed transactions, one per partition batch. */
  batches: number;
  /** Raw records in committed batches, decodable or not. */
  records: number;
  accepted: number;
  deduped: number;
  updated: number;
  stale: number;
  /** Undecodable raw records parked on events.invalid. */
  invalid: number;
  /** State entries dropped past the horizon. */
  evicted: number;
  /** Winners brought back from the projection for events whose eventId had left the state. */
  found: number;
  restores: RestoreReport[];
};

/** One committed partition batch, as the counters see it. */
export type CommittedBatchSummary = {
  records: number;
  invalid: number;
  evicted: number;
  found: number;
  changes: readonly Pick<ChangeRecord, 'decision'>[];
};

export function createDedupeCounters(): DedupeCounters {
  return {
    batches: 0,
    records: 0,
    accepted: 0,
    deduped: 0,
    updated: 0,
    stale: 0,
    invalid: 0,
    evicted: 0,
    found: 0,
    restores: [],
  };
}

export function countCommittedBatch(counters: DedupeCounters, batch: CommittedBatchSummary): void {
  counters.batches++;
  counters.records += batch.records;
  counters.invalid += batch.invalid;
  counters.evicted += batch.evicted;
  counters.found += batch.found;
  for (const change of batch.changes) counters[change.decision]++;
}
