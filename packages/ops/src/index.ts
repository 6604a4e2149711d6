// What every main may import: none of it loads the embedded ClickHouse engine (chdb, ~150 MiB of
// RSS). The parts that read or write ClickHouse are the `@shopfloor/ops/clickhouse` subpath.

export { brokerAtStartup, waitForConfiguredBroker } from './broker-at-startup.ts';
export { codecsAtStartup, keyCodecAtStartup } from './codecs-at-startup.ts';
export { type CreateLoggerOptions, createLogger } from './create-logger.ts';
export { exitWhenAMemberStops, MEMBER_STOPPED_EXIT_CODE } from './exit-when-a-member-stops.ts';
export { internalStatusRoutes } from './internal-status-plugin.ts';
export { readLogFacts } from './log-facts.ts';
export {
  checkAll,
  type DerivedPosition,
  findLogMismatches,
  type LogFacts,
  LogMismatchError,
  RESET_DERIVED_COMMAND,
} from './log-mismatch.ts';
export {
  type ProbeResult,
  type ProbeRoutesOptions,
  probeRoutes,
  type ReadinessProbe,
} from './probes-plugin.ts';
export {
  brokerReachable,
  clickhouseAnswers,
  flagProbe,
  type RestoreProgressLike,
  restoreDone,
  topicsPresent,
} from './readiness-probes.ts';
export { startOrExit } from './start-or-exit.ts';
export { checkStateAgainstLog } from './state-log-guard.ts';
