export { type BiEndpoint, type BiEndpointOptions, startBiEndpoint } from './bi-endpoint.ts';
export type { BiLimits } from './bi-engine.ts';
export { cityHash128 } from './cityhash128.ts';
export { CLICKHOUSE_ERROR_CODES, ClickHouseProtocolError } from './clickhouse-error.ts';
export { outlineSql, type SqlOutline } from './sql-text.ts';
export { READABLE_DATABASES } from './statement-guard.ts';
