// The dedupe stream: its runner (on `@shopfloor/stream-runner`), service wiring and state rebuilds.
export type { BadRecordPolicy } from './decode-raw-batch-step.ts';
export type { DedupeCounters } from './dedupe-counters.ts';
export { type DedupeRunner, type DedupeRunnerOptions, startDedupeRunner } from './dedupe-runner.ts';
export {
  createDedupeService,
  type DedupeServiceConfig,
  type DedupeServiceDeps,
  dedupeRunnerOptions,
} from './dedupe-service.ts';
export { httpWinnerLookup } from './http-winner-lookup.ts';
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
