import type { WinnerState } from '@shopfloor/contracts';

/** A write to the state of one event: the new winner, or null to delete it (a tombstone). */
export type StateWrite<V = WinnerState> = readonly [eventId: string, state: V | null];

/** What a state value must carry for the horizon sweep (`expired`). */
export type StateValue = { readonly receivedAt: number };

/**
 * The dedupe state of ONE partition of events.raw: the current winner per eventId.
 * Reads are synchronous (the hot path reads once per event); writes arrive as a whole batch
 * together with the changelog offset they bring the store up to, so a store is always
 * consistent with the checkpoint it reports.
 */
export interface PartitionStateStore<V extends StateValue = WinnerState> {
  readonly partition: number;
  get(eventId: string): V | undefined;
  /** Applies the writes atomically and records `checkpoint` = next changelog offset to read. */
  apply(writes: Iterable<StateWrite<V>>, checkpoint: string): void;
  /** Next changelog offset to read, or undefined when the store has never been restored. */
  checkpoint(): string | undefined;
  /** Forgets everything, including the checkpoint (forces a full restore). */
  clear(): void;
  count(): number;
  /**
   * Up to `limit` eventIds whose winner was last received before `cutoff` (epoch ms), scanning
   * on from where the previous call stopped, so a sweep costs a bounded slice of the store.
   */
  expired(cutoff: number, limit: number): string[];
}

/**
 * Where winners that left the state (past the horizon) are found again: the projection in
 * ClickHouse, which holds every winner. Returns the winners of the ids it knows.
 */
export type WinnerLookup = (eventIds: readonly string[]) => Promise<Map<string, WinnerState>>;

/** Opens the per-partition stores of one process. */
export interface StateStoreFactory<V extends StateValue = WinnerState> {
  open(partition: number): PartitionStateStore<V>;
  close(): Promise<void>;
}
