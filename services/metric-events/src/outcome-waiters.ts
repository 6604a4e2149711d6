/** The final outcome of one accepted element of a request, once it is visible to queries. */
export type MetricOutcome =
  | { seq: number; id: string; status: 'processed'; duplicate: boolean }
  | { seq: number; id: string | null; status: 'failed'; reason: string };

export type MetricOutcomeNotice = MetricOutcome & { requestId: string };

export type OutcomeWaiter = { outcomes: Promise<Map<number, MetricOutcome>>; cancel(): void };

/**
 * Requests waiting for their elements' outcomes, keyed by request id (not by event id: two
 * concurrent identical posts each get their own answer). The projector hands every applied
 * decision to `ingest`; a decision seen twice (a re-applied group) is taken once.
 */
export class OutcomeWaiters {
  private readonly waiting = new Map<
    string,
    { seqs: Set<number>; got: Map<number, MetricOutcome>; resolve: (m: Map<number, MetricOutcome>) => void }
  >();

  expect(requestId: string, seqs: readonly number[]): OutcomeWaiter {
    let resolve!: (m: Map<number, MetricOutcome>) => void;
    const outcomes = new Promise<Map<number, MetricOutcome>>((r) => {
      resolve = r;
    });
    this.waiting.set(requestId, { seqs: new Set(seqs), got: new Map(), resolve });
    return { outcomes, cancel: () => this.waiting.delete(requestId) };
  }

  ingest(notices: readonly MetricOutcomeNotice[]): void {
    for (const { requestId, ...outcome } of notices) {
      const w = this.waiting.get(requestId);
      if (!w || !w.seqs.has(outcome.seq)) continue;
      w.got.set(outcome.seq, outcome);
      if (w.got.size === w.seqs.size) {
        this.waiting.delete(requestId);
        w.resolve(w.got);
      }
    }
  }

  get size(): number {
    return this.waiting.size;
  }
}
