export { ChangeLoggingBatch } from './change-logging-batch.ts';
export { type DedupeBatchResult, dedupeBatch, findEvictedWinners } from './dedupe-processor.ts';
export {
  createHorizonSweeper,
  type HorizonChanges,
  type HorizonSweeper,
  type HorizonSweeperOptions,
  noHorizon,
} from './horizon-sweeper.ts';
export { InMemoryStateStore, inMemoryStateStores } from './in-memory-state-store.ts';
export { lmdbStateStores } from './lmdb-state-store.ts';
export type {
  PartitionStateStore,
  StateStoreFactory,
  StateValue,
  StateWrite,
  WinnerLookup,
} from './state-store.ts';
export { type StoredLayout, storedAsIs, winnerLayout } from './stored-layout.ts';
