// The ClickHouse parts of @shopfloor/ops (`@shopfloor/ops/clickhouse`): importing them loads the
// embedded engine (chdb), so only the mains that open ClickHouse import this subpath.
export {
  checkProjectionAgainstLog,
  readRecordedTopicIds,
  readSinkPositions,
} from './projection-log-guard.ts';
export { derivedTables, removeStateDir, truncateDerivedTables } from './reset-derived.ts';
