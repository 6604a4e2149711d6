// The events stream's projector (its apply step on @shopfloor/group-projector), the rebuild of every
// stream's projections, and the winner lookup the dedupe consumers ask.
export {
  createProjectorService,
  type ProjectorConfig,
  type ProjectorDeps,
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
  UnknownRebuildStreamError,
} from './rebuild-job.ts';
export type { RebuildPhase, RebuildState, RebuildStatus } from './rebuild-progress.ts';
export { rebuildRoutes } from './rebuild-routes.ts';
export { eventsRebuildStream } from './rebuild-stream.ts';
export { clickHouseWinnerLookup, winnerLookupRoutes } from './winner-lookup.ts';
