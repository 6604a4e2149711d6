// The exactly-once projector sink, generic over what a group is applied as: every stream's projector
// (events, sensors, metric events) is this wiring with an apply step of its own.
export type { AppliedGroup, ApplyGroup, GroupProjectorIo, GroupToApply } from './apply-group.ts';
export { createFlushGate } from './flush-gate.ts';
export {
  type BadRecordPolicy,
  type DecodedRecord,
  decodeGroupRanges,
  decodeRange,
  type UndecodableRecord,
} from './group-decoding.ts';
export {
  createGroupProjector,
  type GroupProjector,
  type GroupProjectorOptions,
  type ProjectorPosition,
} from './group-projector.ts';
export {
  createGroupSink,
  emptyCounters,
  type FetchedBatch,
  type GroupSink,
  type ProjectorCounters,
  ProjectorStoppedError,
} from './group-sink.ts';
export { loadSinkState } from './load-sink-state.ts';
export {
  AWAITED_FETCH,
  BULK_FETCH,
  createProjectorConsumer,
  type FetchWait,
  fetchWaitOf,
  IMMEDIATE_FETCH,
  type OutcomeDemand,
  type ProjectorGrouping,
  runProjectorConsumer,
} from './projector-runner.ts';
export {
  type GroupRange,
  groupToken,
  isFullyFetched,
  markersOf,
  offsetsToCommit,
  partitionKey,
  type RangeGroup,
  rangeGroupFromMarkers,
} from './range-group.ts';
export type { RebuildStream } from './rebuild-stream.ts';
export { RelayedDemand } from './relayed-demand.ts';
export {
  allWritten,
  createRetryWithHeartbeat,
  groupWriteStep,
  type Heartbeat,
  heartbeatOrLog,
  PROJECTOR_RETRY,
  type RetryWithHeartbeat,
} from './retry-with-heartbeat.ts';
