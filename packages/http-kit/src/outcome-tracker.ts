import {
  type BatchItemDecision,
  type BatchOutcome,
  type OutcomeRecord,
  summarizeBatch,
} from '@shopfloor/contracts';

type Waiter = {
  batchSize: number;
  decisions: Map<number, BatchItemDecision>;
  resolve: (o: BatchOutcome) => void;
};

/**
 * Collects the outcomes the projector publishes once a batch's events are visible in ClickHouse,
 * and wakes the request waiting for that batch when every event of it is accounted for. Outcomes
 * can arrive twice (the projector publishes at least once): decisions are kept per seq.
 */
export class OutcomeTracker {
  private readonly waiters = new Map<string, Waiter>();
  private readonly expectListeners = new Set<() => void>();
  private readonly pendingListeners = new Set<(pending: number) => void>();

  /** Registers interest BEFORE the batch is published, so a fast outcome is not missed. */
  expect(batchId: string, batchSize: number): { outcome: Promise<BatchOutcome>; cancel: () => void } {
    let resolve!: (o: BatchOutcome) => void;
    const outcome = new Promise<BatchOutcome>((r) => {
      resolve = r;
    });
    this.waiters.set(batchId, { batchSize, decisions: new Map(), resolve });
    for (const listener of this.expectListeners) listener();
    this.pendingChanged();
    return {
      outcome,
      cancel: () => {
        if (this.waiters.delete(batchId)) this.pendingChanged();
      },
    };
  }

  /** Calls `listener` each time a request starts to wait (a projector shortens its window); returns the unsubscribe. */
  onExpect(listener: () => void): () => void {
    this.expectListeners.add(listener);
    return () => this.expectListeners.delete(listener);
  }

  /**
   * Calls `listener` with the new count each time the requests waiting change (one starts, is
   * answered or gives up): how a gateway in another process tells the projector who waits.
   * Returns the unsubscribe.
   */
  onPendingChange(listener: (pending: number) => void): () => void {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  }

  ingest(record: OutcomeRecord): void {
    const waiter = this.waiters.get(record.batchId);
    if (!waiter) return;
    for (const d of record.decisions) waiter.decisions.set(d.seq, d);
    if (waiter.decisions.size >= waiter.batchSize) {
      this.waiters.delete(record.batchId);
      waiter.resolve(summarizeBatch([...waiter.decisions.values()].sort((a, b) => a.seq - b.seq)));
      this.pendingChanged();
    }
  }

  private pendingChanged(): void {
    for (const listener of this.pendingListeners) listener(this.waiters.size);
  }

  get pending(): number {
    return this.waiters.size;
  }
}
