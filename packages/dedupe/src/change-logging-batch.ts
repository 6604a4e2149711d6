import type { WinnerState } from '@shopfloor/contracts';
import type { PartitionStateStore, StateWrite } from './state-store.ts';

/**
 * The write side of one batch: reads see the batch's own writes first, then the store; every
 * write is also a changelog entry (a delete is a tombstone). Nothing reaches the store until the
 * caller has made the changelog durable (inside the Kafka transaction) and calls `applyTo`.
 */
export class ChangeLoggingBatch {
  private readonly pending = new Map<string, WinnerState | null>();
  /** Winners found outside the store (see WinnerLookup), read when the store has none. */
  private readonly found = new Map<string, WinnerState>();

  constructor(private readonly store: PartitionStateStore) {}

  get(eventId: string): WinnerState | undefined {
    if (this.pending.has(eventId)) return this.pending.get(eventId) ?? undefined;
    return this.store.get(eventId) ?? this.found.get(eventId);
  }

  /** Ids this batch has no winner for, neither written nor in the store nor found. */
  missing(eventIds: Iterable<string>): string[] {
    return [...new Set(eventIds)].filter((id) => this.get(id) === undefined);
  }

  /** Brings winners back that had left the state; they are written back as they are used. */
  prime(winners: ReadonlyMap<string, WinnerState>): void {
    for (const [id, w] of winners) {
      this.found.set(id, w);
      this.put(w);
    }
  }

  put(state: WinnerState): void {
    this.pending.set(state.eventId, state);
  }

  delete(eventId: string): void {
    this.pending.set(eventId, null);
  }

  /** The changelog entries, one per changed key (the last write wins, as in a compacted topic). */
  changelog(): StateWrite[] {
    return [...this.pending];
  }

  applyTo(checkpoint: string): void {
    this.store.apply(this.pending, checkpoint);
    this.pending.clear();
  }
}
