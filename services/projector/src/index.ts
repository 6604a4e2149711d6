export { projectChanges, projectDeadLetters, type ProjectionBatch } from './projection-batch.ts';
export {
  startProjector,
  type Projector,
  type ProjectorCounters,
  type ProjectorOptions,
} from './projector-runner.ts';
export { clickHouseWinnerLookup, winnerLookupRoutes } from './winner-lookup.ts';
