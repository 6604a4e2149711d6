// The exactly-once sink, generic over what a group is applied as (another stream's projector, e.g.
// the sensor stream's, reuses it with an apply step of its own).
export type { AppliedGroup, GroupToApply } from './apply-group-step.ts';
export type { BadRecordPolicy } from './decode-group-step.ts';
export { createFlushGate } from './flush-gate.ts';
export { decodeGroupRanges, decodeRange, type UndecodableRecord } from './group-decoding.ts';
export {
  type ApplyGroup,
  createGroupProjector,
  type GroupProjector,
  type GroupProjectorIo,
  type GroupProjectorOptions,
} from './group-projector.ts';
export {
  createGroupSink,
  emptyCounters,
  type FetchedBatch,
  type GroupSink,
  type ProjectorCounters,
} from './group-sink.ts';
export { loadSinkState } from './load-sink-state.ts';
export type { DecodedRecord } from './projection-batch.ts';
export { createProjectorConsumer, type ProjectorGrouping, runProjectorConsumer } from './projector-runner.ts';
export {
  createProjectorService,
  type ProjectorConfig,
  type ProjectorDeps,
  type ProjectorPosition,
  type ProjectorService,
} from './projector-service.ts';
export { type GroupRange, groupToken, offsetsToCommit, type RangeGroup } from './range-group.ts';
export {
  abortRebuild,
  followRebuild,
  formatProgress,
  getRebuildStatus,
  type RebuildClientOptions,
  runRebuildCommand,
  startRebuild,
} from './rebuild-client.ts';
export {
  createProjectorRebuildJob,
  createRebuildJob,
  type RebuildJob,
  type RebuildJobDeps,
  RebuildRunningError,
  UnknownRebuildStreamError,
} from './rebuild-job.ts';
export type { RebuildPhase, RebuildState, RebuildStatus } from './rebuild-progress.ts';
export { rebuildRoutes } from './rebuild-routes.ts';
export { eventsRebuildStream, type RebuildStream } from './rebuild-stream.ts';
export {
  createRetryWithHeartbeat,
  groupWriteStep,
  type Heartbeat,
  heartbeatOrLog,
  PROJECTOR_RETRY,
  type RetryWithHeartbeat,
} from './retry-with-heartbeat.ts';
export { clickHouseWinnerLookup, winnerLookupRoutes } from './winner-lookup.ts';
