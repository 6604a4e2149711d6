export { ChangeLoggingBatch } from './change-logging-batch.ts';
export { dedupeBatch, type DedupeBatchResult, findEvictedWinners } from './dedupe-processor.ts';
export { InMemoryStateStore, inMemoryStateStores } from './in-memory-state-store.ts';
export { lmdbStateStores } from './lmdb-state-store.ts';
export type { PartitionStateStore, StateStoreFactory, StateWrite, WinnerLookup } from './state-store.ts';
export {
  createHorizonSweeper,
  type HorizonChanges,
  type HorizonSweeper,
  type HorizonSweeperOptions,
  noHorizon,
} from './horizon-sweeper.ts';
