// `@shopfloor/clickhouse/testing`: for tests and benchmarks only, never imported by a service.

export { MACHINE_EDGES_SQL, MACHINE_MINUTES_SQL, MACHINE_STATS_SQL, windowParams } from '../stats-queries.ts';
export { type EmbeddedClickHouse, startEmbeddedClickHouse, withEmbeddedClickHouse } from './embedded.ts';
export { queryMachineStatsFromFinal, queryTopDefectLinesFromFinal } from './final-scan-queries.ts';
export { sampleSensorAlertRow, sampleSensorReadingRow } from './sensor-rows.ts';
export { encodeTabSeparated, escapeTabSeparated, insertEventChangesTabSeparated } from './tab-separated.ts';
