import { type ClickHouseWriter, type EventChangeRow, insertEventChanges } from '@shopfloor/clickhouse';
import type { OutcomeDecision } from '@shopfloor/contracts';
import { dedupeBatch, type PartitionStateStore } from '@shopfloor/dedupe';
import type { BatchIntake, BatchPublisher } from '@shopfloor/gateway';
import type { OutcomeTracker } from '@shopfloor/http-kit';
import { HttpError } from '@shopfloor/http-kit';

export type DirectWriteCounters = { batches: number; events: number; inserts: number; rows: number };

type Queued = { batch: BatchIntake; resolve: () => void; reject: (err: Error) => void };

/**
 * The baseline: the gateway's BatchPublisher, but instead of Kafka it runs the SAME dedupe
 * (dedupeBatch against a state store) and inserts the change rows straight into ClickHouse, then
 * hands the outcome to the gateway's tracker. Batches that arrive while an insert runs are grouped
 * into the next insert (group commit), as the projector groups the records of a fetch.
 *
 * What it leaves out is what the pipeline pays for: no log (a crash between the state commit and
 * the insert loses or skews events), no replay, no exactly-once, one process only.
 */
export function directWritePublisher(deps: {
  writer: ClickHouseWriter;
  store: PartitionStateStore;
  outcomes: OutcomeTracker;
  /** Most events per grouped insert. */
  maxGroupEvents?: number;
}): BatchPublisher & { counters: DirectWriteCounters } {
  const counters: DirectWriteCounters = { batches: 0, events: 0, inserts: 0, rows: 0 };
  const queue: Queued[] = [];
  const maxGroup = deps.maxGroupEvents ?? 100_000;
  let running = false;
  let checkpoint = 0;

  const drain = async () => {
    if (running) return;
    running = true;
    try {
      while (queue.length > 0) {
        const group: Queued[] = [];
        let events = 0;
        while (queue.length > 0 && (group.length === 0 || events + queue[0]!.batch.raw.length <= maxGroup)) {
          const q = queue.shift()!;
          group.push(q);
          events += q.batch.raw.length;
        }
        const rows: EventChangeRow[] = [];
        const outcomes = group.map(({ batch }) => {
          const result = dedupeBatch(deps.store, batch.raw);
          // Committed at once so the next batch of the group sees it (no log to roll back to).
          result.commit(String(++checkpoint));
          const decisions: OutcomeDecision[] = result.changes.map((c) => ({
            seq: c.seq,
            decision: c.decision,
            eventId: c.eventId,
          }));
          for (const c of result.changes) for (const r of c.rows) rows.push(r);
          for (const d of batch.rejected) {
            decisions.push({ seq: d.seq, decision: 'rejected', eventId: d.eventId, reason: d.reason });
          }
          return {
            v: 1 as const,
            batchId: batch.batchId,
            batchSize: batch.raw.length + batch.rejected.length,
            decisions,
          };
        });
        try {
          await insertEventChanges(deps.writer, rows, {
            dedupToken: `direct:${group[0]!.batch.batchId}`,
            validate: false,
          });
          counters.inserts++;
          counters.rows += rows.length;
          counters.batches += group.length;
          counters.events += events;
          for (const o of outcomes) deps.outcomes.ingest(o);
          for (const q of group) q.resolve();
        } catch (err) {
          const e = new HttpError('CLICKHOUSE_UNAVAILABLE', `direct write failed: ${(err as Error).message}`);
          for (const q of group) q.reject(e);
        }
      }
    } finally {
      running = false;
    }
  };

  return {
    counters,
    publish(batch) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ batch, resolve, reject });
        void drain();
      });
    },
  };
}
