import { z } from 'zod';
import { int } from './setting-types.ts';

/** The settings of the ClickHouse the projections live in (embedded or a server) (the one schema is composed in schema.ts). */
export const clickhouseSettings = {
  CLICKHOUSE_URL: z.url({ message: 'must be an http(s) URL such as http://127.0.0.1:8123' }).optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('default'),
  SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES: int(0, 1024 ** 4).default(0),
  SHOPFLOOR_CLICKHOUSE_CACHE_BYTES: int(0, 1024 ** 4).default(64 * 1024 * 1024),
  SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS: int(1, 16).default(2),
  SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS: int(0, 16).default(1),
  SHOPFLOOR_CLICKHOUSE_MERGE_NICE: int(0, 19).default(19),
};

export const clickhouseSettingDocs: Record<keyof typeof clickhouseSettings, string> = {
  CLICKHOUSE_URL:
    'Unset: embedded ClickHouse (chdb) in SHOPFLOOR_DATA_DIR/clickhouse. Set: a ClickHouse server over HTTP.',
  CLICKHOUSE_USER: 'ClickHouse server user (HTTP mode only).',
  CLICKHOUSE_PASSWORD: 'ClickHouse server password (HTTP mode only).',
  CLICKHOUSE_DATABASE: 'ClickHouse database.',
  SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES:
    'Embedded mode: max_server_memory_usage of the embedded engine, in bytes (past it a query or insert fails and is retried); 0 keeps the engine default, 90 % of RAM.',
  SHOPFLOOR_CLICKHOUSE_CACHE_BYTES:
    'Embedded mode: size of each of the engine caches that grow with the data read (marks, primary index, skip-index marks, query conditions), in bytes; the engine default is 5 GiB for most of them.',
  SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS:
    'Embedded mode: chdb sessions sharing the engine, so that a short insert or query runs beside a bulk insert instead of after it (each statement goes to the least busy session); 1 runs every statement of the process one at a time.',
  SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS:
    "Embedded mode: chdb sessions beside those that only the query API's reads use, so that a dashboard's read never queues behind the projectors' inserts (a read still takes a write session when that one is less busy); 0 lets reads and writes share every session.",
  SHOPFLOOR_CLICKHOUSE_MERGE_NICE:
    "Embedded mode: Linux nice value (0-19) of the engine's background merge threads, so that the pipeline and the broker take the cores first and merges run on what is left; 0 runs them at the process's priority. Applied only with CAP_SYS_NICE (as root), else ignored by the engine.",
};
