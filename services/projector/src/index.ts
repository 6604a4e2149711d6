export type { BadRecordPolicy } from './decode-group-step.ts';
export type { ProjectorCounters } from './group-sink.ts';
export {
  createProjectorService,
  type ProjectorConfig,
  type ProjectorDeps,
  type ProjectorPosition,
  type ProjectorService,
} from './projector-service.ts';
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
} from './rebuild-job.ts';
export type { RebuildPhase, RebuildState, RebuildStatus } from './rebuild-progress.ts';
export { rebuildRoutes } from './rebuild-routes.ts';
export { clickHouseWinnerLookup, winnerLookupRoutes } from './winner-lookup.ts';
