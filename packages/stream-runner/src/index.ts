// The stream-agnostic runner of every stateful stream (dedupe, sensors, metric events).
export {
  type ChangelogEntry,
  type ChangelogState,
  RESTORE_MARKER_KEY,
  type RestoreFromChangelogInput,
  type RestoreReport,
  reportRestore,
  restoreFromChangelog,
} from './changelog-restorer.ts';
export {
  type CommitPartitionBatches,
  createCommitPartitionBatchesStep,
  type PartitionBatchToCommit,
  type TopicMessages,
  TransactionFailure,
} from './commit-partition-batch-step.ts';
export {
  type CommitEntries,
  type CommittedShare,
  createFetchTransactions,
  type FetchEntry,
  type FetchTicket,
  type FetchTransactions,
} from './fetch-transaction.ts';
export { keyValueChangelogState } from './key-value-changelog-state.ts';
export {
  createPartitionBatchHandler,
  type PartitionBatch,
  type PartitionBatchOutcome,
  type ProcessedPartitionBatch,
  type ProcessPartitionBatch,
  type RawMessage,
} from './partition-batch-handler.ts';
export { MemberProducer, PartitionOwner, PartitionOwners } from './partition-owner.ts';
export {
  RestoreCoordinator,
  type RestorePartitions,
  type RestoreProgress,
  RestoreSuperseded,
} from './restore-coordinator.ts';
export { type StreamMember, type StreamMemberOptions, streamMember } from './stream-member.ts';
export { type StreamRunner, type StreamRunnerOptions, startStreamRunner } from './stream-runner.ts';
export { respondToTransactionFailure } from './transaction-failure-policy.ts';
