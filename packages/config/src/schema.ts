import { z } from 'zod';

const boolFlag = z
  .enum(['0', '1', 'true', 'false', 'yes', 'no'], { message: 'must be one of 0, 1, true, false, yes, no' })
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: 'must be a whole number' })
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const positiveDecimal = z
  .string()
  .regex(/^\d+(\.\d+)?$/, { message: 'must be a positive decimal number such as 3 or 2.5' })
  .transform(Number)
  .pipe(z.number().positive({ message: 'must be greater than 0' }).max(1000));

const brokerList = z
  .string()
  .transform((s) => s.split(',').map((b) => b.trim()))
  .pipe(z.array(z.string().regex(/^[^\s:]+:\d{1,5}$/, { message: 'each broker must be host:port' })).min(1));

/**
 * Every environment variable Shopfloor reads, with the defaults that make the embedded mode work
 * untouched. The README's configuration table is generated from `CONFIG_DOCS` below and a test
 * keeps the two in step.
 */
export const configSchema = z.object({
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: int(0, 65535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SHOPFLOOR_DATA_DIR: z.string().min(1).default('.data'),
  SHOPFLOOR_DEMO: boolFlag.default(true),
  SHOPFLOOR_TOPOLOGY: z.enum(['single', 'split'], { message: 'must be single or split' }).default('single'),
  // The V8 old generation of each process the start command launches: without a bound V8 sizes its
  // heap to the allocation rate, not to the ~41 MiB live (bench/README, Memory). 0: node's default.
  SHOPFLOOR_MAX_OLD_SPACE_MB: int(0, 65_536)
    .refine((mb) => mb === 0 || mb >= 128, { message: 'must be 0 (node default) or at least 128' })
    .default(384),
  KAFKA_BROKERS: brokerList.optional(),
  KAFKA_LOCAL_PORT: int(1, 65535).default(9092),
  SCHEMA_REGISTRY_URL: z
    .url({
      protocol: /^https?$/,
      message:
        'must be the http(s) URL of a Confluent-compatible API, e.g. http://127.0.0.1:8081/apis/ccompat/v7',
    })
    .optional(),
  SCHEMA_REGISTRY_LOCAL_PORT: int(1, 65535).default(8081),
  SHOPFLOOR_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]*$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
    .default(''),
  // 2, not 6: each posted batch costs one dedupe transaction per partition it touches, and fewer
  // transactions measured 0.13-0.83x the CPU per event (bench/README, Levers, lever 4).
  SHOPFLOOR_PARTITIONS: int(1, 1024).default(2),
  SHOPFLOOR_DEDUPE_GROUP: z.string().min(1).default('shopfloor-dedupe'),
  SHOPFLOOR_PROJECTOR_GROUP: z.string().min(1).default('shopfloor-projector'),
  SHOPFLOOR_INSTANCE_ID: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { message: 'may contain only letters, digits, "_" and "-"' })
    .default('default'),
  SHOPFLOOR_BAD_RECORD_POLICY: z.enum(['dead-letter', 'stop']).default('dead-letter'),
  SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: int(6_000, 300_000).default(30_000),
  SHOPFLOOR_STATE_HORIZON_SECONDS: int(0, 100 * 365 * 86_400).default(0),
  SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: int(10, 86_400_000).default(60_000),
  SHOPFLOOR_WINNER_LOOKUP_URL: z
    .url({ message: 'must be the http(s) URL of the projector, e.g. http://127.0.0.1:3001' })
    .optional(),
  CLICKHOUSE_URL: z.url({ message: 'must be an http(s) URL such as http://127.0.0.1:8123' }).optional(),
  CLICKHOUSE_USER: z.string().default('default'),
  CLICKHOUSE_PASSWORD: z.string().default(''),
  CLICKHOUSE_DATABASE: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/)
    .default('default'),
  SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES: int(0, 1024 ** 4).default(0),
  SHOPFLOOR_CLICKHOUSE_CACHE_BYTES: int(0, 1024 ** 4).default(64 * 1024 * 1024),
  SHOPFLOOR_MAX_BATCH_EVENTS: int(1, 1_000_000).default(10_000),
  SHOPFLOOR_MAX_BODY_BYTES: int(1024, 1024 * 1024 * 1024).default(16 * 1024 * 1024),
  SHOPFLOOR_SYNC_TIMEOUT_MS: int(1, 600_000).default(10_000),
  SHOPFLOOR_MAX_INFLIGHT_EVENTS: int(1, 100_000_000).default(200_000),
  SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS: int(100, 600_000).default(10_000),
  SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS: int(100, 600_000).default(10_000),
  SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS: int(100, 3_600_000).default(60_000),
  SHOPFLOOR_HTTP_KEEP_ALIVE_TIMEOUT_MS: int(100, 600_000).default(5_000),
  SHOPFLOOR_HTTP_MAX_HEADER_BYTES: int(1024, 1024 * 1024).default(16 * 1024),
  SHOPFLOOR_BOOTSTRAP_KEY: z
    .string()
    .regex(/^sfk_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/, {
      message: 'must be a key of the form sfk_<16 hex>_<43 base64url>',
    })
    .optional(),
  SHOPFLOOR_BOOTSTRAP_KEY_FILE: z.string().min(1).optional(),
  SHOPFLOOR_RATE_LIMIT_PER_MINUTE: int(1, 10_000_000).default(6_000),
  SHOPFLOOR_BI_PORT: int(0, 65535).optional(),
  SHOPFLOOR_BI_HOST: z.string().min(1).default('127.0.0.1'),
  SHOPFLOOR_BI_USER: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, { message: 'may contain only letters, digits, ".", "_" and "-"' })
    .default('bi'),
  SHOPFLOOR_BI_PASSWORD: z.string().min(8, { message: 'must be at least 8 characters' }).optional(),
  SHOPFLOOR_BI_MAX_EXECUTION_TIME_S: int(1, 3600).default(30),
  SHOPFLOOR_BI_MAX_RESULT_ROWS: int(1, 1_000_000_000).default(1_000_000),
  SHOPFLOOR_BI_MAX_MEMORY_BYTES: int(1024 * 1024, 1024 * 1024 * 1024 * 1024).default(1024 * 1024 * 1024),
  SHOPFLOOR_METRIC_EVENTS_GROUP: z.string().min(1).optional(),
  SHOPFLOOR_ALLOW_SIMULATED_FAILURES: boolFlag.default(false),
  SHOPFLOOR_SENSORS: boolFlag.default(true),
  ROLLING_WINDOW_SIZE: int(2, 100_000).default(100),
  ANOMALY_THRESHOLD_SIGMA: positiveDecimal.default(3),
  ANOMALY_MIN_WINDOW: int(2, 100_000).default(30),
  SHOPFLOOR_SENSOR_PARTITIONS: int(1, 1024).default(6),
  SHOPFLOOR_SENSOR_GROUP: z.string().min(1).default('shopfloor-sensors'),
  SHOPFLOOR_SENSOR_PROJECTOR_GROUP: z.string().min(1).default('shopfloor-sensor-projector'),
  SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP: z.string().min(1).optional(),
  SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS: int(1, 100_000_000).default(200_000),
  SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS: int(0, 100 * 365 * 86_400).default(0),
  SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS: int(1, 100_000_000).default(200_000),
});

export type RawConfig = z.output<typeof configSchema>;

/** One row per variable, in the order of the README table. */
export const CONFIG_DOCS: Record<keyof RawConfig, string> = {
  HOST: 'Address the HTTP API listens on.',
  PORT: 'Port of the HTTP API (the whole API on one port in the standalone process).',
  LOG_LEVEL: 'pino log level.',
  SHOPFLOOR_DATA_DIR: 'Folder for local data: embedded ClickHouse, dedupe state, local Kafka broker.',
  SHOPFLOOR_DEMO: 'Standalone only: run simulated machines posting events (set 0 to start without them).',
  SHOPFLOOR_TOPOLOGY:
    'Start command only: `single` runs the whole pipeline in one node process; `split` runs the gateway (POST /events/batch: validation, the produce to events.raw, the sync-answer wait) in a process of its own that serves the one HTTP port and forwards every other route to the pipeline process (dedupe, projector, query, sensors, metric events, embedded ClickHouse). Both under one supervisor that Ctrl-C stops.',
  SHOPFLOOR_MAX_OLD_SPACE_MB:
    'Start command only: V8 heap bound (`--max-old-space-size`, MiB) of every node process it launches; 0 leaves node\'s default (which lets the heap grow with the allocation rate, see bench/README "Memory").',
  KAFKA_BROKERS:
    'Comma-separated host:port list. Unset: the standalone process starts the local broker; separate services use 127.0.0.1:KAFKA_LOCAL_PORT.',
  KAFKA_LOCAL_PORT: 'Port of the local broker started by the project scripts.',
  SCHEMA_REGISTRY_URL:
    'Confluent-compatible API of the schema registry (Apicurio: .../apis/ccompat/v7); it must answer at start-up (topic values are Avro, there is no JSON mode). Unset: the standalone process with the local broker starts the local registry; otherwise http://127.0.0.1:SCHEMA_REGISTRY_LOCAL_PORT/apis/ccompat/v7.',
  SCHEMA_REGISTRY_LOCAL_PORT: 'Port of the local schema registry started by the project scripts.',
  SHOPFLOOR_TOPIC_PREFIX: 'Prefix for every topic name (isolates several systems on one broker).',
  SHOPFLOOR_PARTITIONS:
    'Partitions of events.raw, events.state and events.change-batches when they are created: fixed for the life of the log, and the most dedupe processes that can share the work (set it up front for a deployment that will scale out; the compose stack uses 6).',
  SHOPFLOOR_DEDUPE_GROUP: 'Consumer group (and transactional id prefix) of the dedupe consumers.',
  SHOPFLOOR_PROJECTOR_GROUP: 'Consumer group of the ClickHouse projector.',
  SHOPFLOOR_INSTANCE_ID:
    'Names this dedupe process; its local state checkpoint lives in SHOPFLOOR_DATA_DIR/state/<id>. Give each process on one host its own.',
  SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS:
    'Consumer group session timeout of the dedupe consumers and the projector: how long the partitions of a crashed member wait before moving.',
  SHOPFLOOR_STATE_HORIZON_SECONDS:
    'Drop a dedupe state entry when its eventId has not been received for this long (tombstoned in events.state); 0 keeps every entry. An event whose eventId left the state is decided against its winner in ClickHouse, so it is never double counted.',
  SHOPFLOOR_STATE_SWEEP_INTERVAL_MS:
    "How often each partition is swept for entries past the horizon (events: SHOPFLOOR_STATE_HORIZON_SECONDS; sensor readings: SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS, by the log's receivedAt).",
  SHOPFLOOR_WINNER_LOOKUP_URL:
    'Separate dedupe processes with a horizon: the projector (ClickHouse owner) they ask for winners that left the state.',
  SHOPFLOOR_BAD_RECORD_POLICY:
    'What a consumer does with a record it cannot decode: `dead-letter` (to events.invalid, then go on) or `stop`.',
  CLICKHOUSE_URL:
    'Unset: embedded ClickHouse (chdb) in SHOPFLOOR_DATA_DIR/clickhouse. Set: a ClickHouse server over HTTP.',
  CLICKHOUSE_USER: 'ClickHouse server user (HTTP mode only).',
  CLICKHOUSE_PASSWORD: 'ClickHouse server password (HTTP mode only).',
  CLICKHOUSE_DATABASE: 'ClickHouse database.',
  SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES:
    'Embedded mode: max_server_memory_usage of the embedded engine, in bytes (past it a query or insert fails and is retried); 0 keeps the engine default, 90 % of RAM.',
  SHOPFLOOR_CLICKHOUSE_CACHE_BYTES:
    'Embedded mode: size of each of the engine caches that grow with the data read (marks, primary index, skip-index marks, query conditions), in bytes; the engine default is 5 GiB for most of them.',
  SHOPFLOOR_MAX_BATCH_EVENTS: 'Most events accepted in one POST /events/batch (413 past it).',
  SHOPFLOOR_MAX_BODY_BYTES: 'Largest request body in bytes (413 past it).',
  SHOPFLOOR_SYNC_TIMEOUT_MS:
    'How long a default-mode POST waits for the final outcome before answering 202 with the batch id.',
  SHOPFLOOR_MAX_INFLIGHT_EVENTS:
    'Most events the gateway holds while waiting for Kafka to acknowledge them; past it, 503 OVERLOADED (load shedding).',
  SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS:
    'How long the gateway waits for Kafka to acknowledge a batch before answering 503.',
  SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS:
    'A client must send the request line and headers within this, else 408 and the connection is closed (slow-header clients).',
  SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS:
    'A client must send the whole request (headers and body) within this, else 408 (slow-body clients).',
  SHOPFLOOR_HTTP_KEEP_ALIVE_TIMEOUT_MS: 'An idle keep-alive connection is closed after this.',
  SHOPFLOOR_HTTP_MAX_HEADER_BYTES: 'Largest request line plus headers, in bytes (431 past it).',
  SHOPFLOOR_BOOTSTRAP_KEY:
    'An operator API key (sfk_...) every service accepts; setting it (or the file) turns auth on. Required when HOST is not loopback. Never logged.',
  SHOPFLOOR_BOOTSTRAP_KEY_FILE:
    'A file holding the bootstrap key (for secrets mounted as files, e.g. in compose).',
  SHOPFLOOR_RATE_LIMIT_PER_MINUTE:
    'Requests per minute one API key may make (429 with Retry-After past it); auth on only.',
  SHOPFLOOR_BI_PORT:
    'Embedded mode: port of the read-only ClickHouse HTTP endpoint for BI tools, served by the process that owns the engine (standalone or projector). Unset: off. Needs SHOPFLOOR_BI_PASSWORD.',
  SHOPFLOOR_BI_HOST: 'Address the BI endpoint listens on (loopback by default).',
  SHOPFLOOR_BI_USER: 'User name BI tools log in with.',
  SHOPFLOOR_BI_PASSWORD:
    'Password BI tools log in with (at least 8 characters; required with SHOPFLOOR_BI_PORT).',
  SHOPFLOOR_BI_MAX_EXECUTION_TIME_S: 'max_execution_time of a BI query, in seconds.',
  SHOPFLOOR_BI_MAX_RESULT_ROWS: 'max_result_rows of a BI query (result_overflow_mode = throw).',
  SHOPFLOOR_BI_MAX_MEMORY_BYTES: 'max_memory_usage of a BI query, in bytes.',
  SHOPFLOOR_METRIC_EVENTS_GROUP:
    'Consumer group (and transactional id prefix) of the metric-events processor; its projector uses `<group>-projector`. Unset: `<SHOPFLOOR_TOPIC_PREFIX>shopfloor-metric-events`, so systems sharing a broker under different prefixes never share the group.',
  SHOPFLOOR_ALLOW_SIMULATED_FAILURES:
    'Metric events: accept `simulateFailure: true` (the event is recorded, its processing fails with SIMULATED_FAILURE, it is never counted). Off: such an event is rejected with SIMULATED_FAILURE_NOT_ALLOWED.',
  SHOPFLOOR_SENSORS:
    'Standalone only: run the sensor-readings stream (webhook, anomaly processor, projector) in the process; 0 leaves it out (e.g. for an events-only benchmark).',
  ROLLING_WINDOW_SIZE:
    'Sensor readings: how many accepted normal readings of one (equipment, sensor) form the baseline of the z-score.',
  ANOMALY_THRESHOLD_SIGMA:
    'Sensor readings: an absolute z-score at or above this is an anomaly (an alert). Severity LOW below 4, MEDIUM below 5, CRITICAL from 5 sigma.',
  ANOMALY_MIN_WINDOW:
    'Sensor readings: no detection before the baseline holds this many readings (at most ROLLING_WINDOW_SIZE).',
  SHOPFLOOR_SENSOR_PARTITIONS:
    'Partitions of sensor.readings.raw, sensor.state, sensor.readings and sensor.alerts when they are created.',
  SHOPFLOOR_SENSOR_GROUP: 'Consumer group (and transactional id prefix) of the sensor anomaly processors.',
  SHOPFLOOR_SENSOR_PROJECTOR_GROUP:
    'Consumer group of the sensor projector (readings, resolutions and dead letters into ClickHouse).',
  SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP:
    "Consumer group of the sensor alert projector (sensor.alerts into ClickHouse in small immediate groups, so an alert never waits for the readings tables' bulk inserts). Unset: `<SHOPFLOOR_SENSOR_PROJECTOR_GROUP>-alerts`, so a system's two sensor projector groups share their prefix.",
  SHOPFLOOR_SENSOR_MAX_INFLIGHT_READINGS:
    'Most readings the sensor webhook holds (waiting for Kafka to acknowledge them and, in sync mode, for their outcome); past it, 503 OVERLOADED (load shedding).',
  SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS:
    "Drop a reading identity from the sensor processor's dedupe state (tombstoned in sensor.state) once its timestamp is this much older than the newest receivedAt of its partition, plus the 15 min clock skew; the webhook rejects readings older than this as STALE_TIMESTAMP, so a dropped identity is never re-accepted. 0 keeps every identity.",
  SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS:
    'Most metric events POST /events and /events/batch-metrics hold (waiting for Kafka to acknowledge them and, in sync mode, for their outcome); past it, 503 OVERLOADED (load shedding).',
};
