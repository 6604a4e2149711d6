export { ChangeLoggingBatch } from './change-logging-batch.ts';
export { dedupeBatch, type DedupeBatchResult } from './dedupe-processor.ts';
export { InMemoryStateStore, inMemoryStateStores } from './in-memory-state-store.ts';
export { lmdbStateStores } from './lmdb-state-store.ts';
export type { PartitionStateStore, StateStoreFactory, StateWrite } from './state-store.ts';
