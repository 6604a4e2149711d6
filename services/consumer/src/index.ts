// Stream-agnostic pieces of the runner, reused by the other streams' stateful processors.
export {
  type ChangelogEntry,
  type ChangelogState,
  RESTORE_MARKER_KEY,
  type RestoreReport,
  reportRestore,
  restoreFromChangelog,
} from './changelog-restorer.ts';
export {
  type CommitPartitionBatches,
  createCommitPartitionBatchesStep,
  type PartitionBatchToCommit,
  TransactionFailure,
} from './commit-partition-batch-step.ts';
export type { BadRecordPolicy } from './decode-raw-batch-step.ts';
export type { DedupeCounters } from './dedupe-counters.ts';
export { type DedupeRunner, type DedupeRunnerOptions, startDedupeRunner } from './dedupe-runner.ts';
export {
  createDedupeService,
  type DedupeServiceConfig,
  type DedupeServiceDeps,
  dedupeRunnerOptions,
} from './dedupe-service.ts';
export {
  type CommitEntries,
  type CommittedShare,
  createFetchTransactions,
  type FetchEntry,
  type FetchTicket,
  type FetchTransactions,
} from './fetch-transaction.ts';
export { httpWinnerLookup } from './http-winner-lookup.ts';
export { keyValueChangelogState } from './key-value-changelog-state.ts';
export { loadMemberId } from './member-id.ts';
export {
  createPartitionBatchHandler,
  type PartitionBatch,
  type PartitionBatchOutcome,
  type ProcessedPartitionBatch,
  type ProcessPartitionBatch,
} from './partition-batch-handler.ts';
export type { TopicMessages } from './partition-batch-messages.ts';
export { MemberProducer, PartitionOwner, PartitionOwners } from './partition-owner.ts';
export {
  RestoreCoordinator,
  type RestorePartitions,
  type RestoreProgress,
  RestoreSuperseded,
} from './restore-coordinator.ts';
export {
  rebuildStateFromRawLog,
  type StateFromRawLogOptions,
  type StateFromRawLogReport,
  stateDiff,
  winnersFromRawLog,
} from './state-from-raw-log.ts';
export {
  applyRequestedStateReset,
  applyRequestedStateResetFor,
  requestStateReset,
  type StateResetSource,
} from './state-reset.ts';
export { dedupeChangelogState, restorePartitions } from './state-restorer.ts';
export { type StreamMember, type StreamMemberOptions, streamMember } from './stream-member.ts';
export { type StreamRunner, type StreamRunnerOptions, startStreamRunner } from './stream-runner.ts';
export { respondToTransactionFailure } from './transaction-failure-policy.ts';
