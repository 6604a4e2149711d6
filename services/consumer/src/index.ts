export {
  startDedupeRunner,
  type DedupeCounters,
  type DedupeRunner,
  type DedupeRunnerOptions,
} from './dedupe-runner.ts';
export { RESTORE_MARKER_KEY, type RestoreReport } from './state-restorer.ts';
export { httpWinnerLookup } from './http-winner-lookup.ts';
