export type { BadRecordPolicy } from './decode-group-step.ts';
export type { ProjectorCounters } from './group-sink.ts';
export {
  createProjectorService,
  type ProjectorConfig,
  type ProjectorDeps,
  type ProjectorService,
} from './projector-service.ts';
export { clickHouseWinnerLookup, winnerLookupRoutes } from './winner-lookup.ts';
