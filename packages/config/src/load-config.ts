import path from 'node:path';
import { type ShopfloorTopics, shopfloorTopics } from '@shopfloor/contracts';
import { configSchema, type RawConfig } from './schema.ts';

export type ShopfloorConfig = Readonly<
  RawConfig & {
    /** Set, or derived from SHOPFLOOR_SENSOR_PROJECTOR_GROUP (`<group>-alerts`). */
    SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP: string;
    /** Brokers to connect to; `localBroker` says whether the standalone process must start one. */
    kafka: { brokers: string[]; localBroker: boolean };
    /** The registry's Confluent-compatible API; `localRegistry` says whether the standalone process starts one. */
    schemaRegistry: { url: string; localRegistry: boolean };
    /**
     * The data dir's layout. Per instance (SHOPFLOOR_INSTANCE_ID), each stream processor's folder,
     * where its member id is kept (and the state of the two that keep it on disk): `state` the
     * dedupe consumer's, `metricState` the metric-events processor's, `sensorState` the sensor
     * processor's (its windows are in memory; only the member id is on disk).
     */
    dirs: {
      data: string;
      clickhouse: string;
      state: string;
      metricState: string;
      sensorState: string;
      kafka: string;
      schemaRegistry: string;
    };
    topics: ShopfloorTopics;
    /** What `openClickHouse` takes: embedded in `dataDir`, or a server when `url` is set. */
    clickhouse: {
      url?: string | undefined;
      dataDir: string;
      database: string;
      username: string;
      password: string;
      /** Memory bounds of the embedded engine (ignored with a server URL). */
      engine: { maxMemoryBytes: number | undefined; cacheBytes: number; mergeThreadsNice: number };
      /** Embedded mode: chdb sessions statements are spread over (ignored with a server URL). */
      sessions: number;
      readSessions: number;
    };
    /** The read-only ClickHouse HTTP endpoint for BI tools (embedded mode), or undefined when off. */
    bi: BiEndpointConfig | undefined;
    /** What one HTTP client may cost the server (http-kit's `HttpLimits`). */
    http: {
      headersTimeoutMs: number;
      requestTimeoutMs: number;
      idleTimeoutMs: number;
      keepAliveTimeoutMs: number;
      maxHeaderBytes: number;
    };
    /**
     * The sensor anomaly detector (ROLLING_WINDOW_SIZE, ANOMALY_MIN_WINDOW, ANOMALY_THRESHOLD_SIGMA)
     * and its bounded seen-identity state (undefined when SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS is 0).
     */
    sensors: {
      detector: { windowSize: number; minWindow: number; thresholdSigma: number };
      stateHorizon: StateHorizonConfig | undefined;
    };
    /** Bounded dedupe state, or undefined when SHOPFLOOR_STATE_HORIZON_SECONDS is 0. */
    stateHorizon: StateHorizonConfig | undefined;
  }
>;

export type { ShopfloorTopics };

/** A bounded state: entries older than `horizonMs` leave it, swept at most once per `sweepIntervalMs`. */
export type StateHorizonConfig = { horizonMs: number; sweepIntervalMs: number };

/** The one rule of every state horizon setting: 0 seconds keeps every entry. */
function stateHorizonOf(seconds: number, sweepIntervalMs: number): StateHorizonConfig | undefined {
  return seconds > 0 ? { horizonMs: seconds * 1000, sweepIntervalMs } : undefined;
}
export type BiEndpointConfig = {
  host: string;
  port: number;
  user: string;
  password: string;
  limits: { maxExecutionTimeS: number; maxResultRows: number; maxMemoryBytes: number };
};

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once at start-up; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): ShopfloorConfig {
  // Empty strings mean "unset", as in most shells' `VAR= cmd`.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? '?');
        const value = env[name];
        return `${name}: ${i.message}${value === undefined ? '' : ` (got ${JSON.stringify(value)})`}`;
      }),
    );
  }
  const raw = parsed.data;
  const bi = biEndpointConfig(raw);
  if (raw.ANOMALY_MIN_WINDOW > raw.ROLLING_WINDOW_SIZE) {
    throw new ConfigError([
      `ANOMALY_MIN_WINDOW: must be at most ROLLING_WINDOW_SIZE (${raw.ROLLING_WINDOW_SIZE}), got ${raw.ANOMALY_MIN_WINDOW}`,
    ]);
  }
  const data = path.resolve(cwd, raw.SHOPFLOOR_DATA_DIR);
  const clickhouseDir = path.join(data, 'clickhouse');
  return Object.freeze({
    ...raw,
    SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP:
      raw.SHOPFLOOR_SENSOR_ALERT_PROJECTOR_GROUP ?? `${raw.SHOPFLOOR_SENSOR_PROJECTOR_GROUP}-alerts`,
    kafka: {
      brokers: raw.KAFKA_BROKERS ?? [`127.0.0.1:${raw.KAFKA_LOCAL_PORT}`],
      localBroker: raw.KAFKA_BROKERS === undefined,
    },
    schemaRegistry: {
      url: raw.SCHEMA_REGISTRY_URL ?? `http://127.0.0.1:${raw.SCHEMA_REGISTRY_LOCAL_PORT}/apis/ccompat/v7`,
      localRegistry: raw.SCHEMA_REGISTRY_URL === undefined,
    },
    clickhouse: {
      url: raw.CLICKHOUSE_URL,
      dataDir: clickhouseDir,
      database: raw.CLICKHOUSE_DATABASE,
      username: raw.CLICKHOUSE_USER,
      password: raw.CLICKHOUSE_PASSWORD,
      engine: {
        maxMemoryBytes: raw.SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES || undefined,
        cacheBytes: raw.SHOPFLOOR_CLICKHOUSE_CACHE_BYTES,
        mergeThreadsNice: raw.SHOPFLOOR_CLICKHOUSE_MERGE_NICE,
      },
      sessions: raw.SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS,
      readSessions: raw.SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS,
    },
    bi,
    http: {
      headersTimeoutMs: raw.SHOPFLOOR_HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: raw.SHOPFLOOR_HTTP_REQUEST_TIMEOUT_MS,
      // A socket is idle while a default-mode POST waits for its outcome: never cut that short.
      idleTimeoutMs: Math.max(120_000, raw.SHOPFLOOR_SYNC_TIMEOUT_MS + 30_000),
      keepAliveTimeoutMs: raw.SHOPFLOOR_HTTP_KEEP_ALIVE_TIMEOUT_MS,
      maxHeaderBytes: raw.SHOPFLOOR_HTTP_MAX_HEADER_BYTES,
    },
    sensors: {
      detector: {
        windowSize: raw.ROLLING_WINDOW_SIZE,
        minWindow: raw.ANOMALY_MIN_WINDOW,
        thresholdSigma: raw.ANOMALY_THRESHOLD_SIGMA,
      },
      stateHorizon: stateHorizonOf(
        raw.SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS,
        raw.SHOPFLOOR_STATE_SWEEP_INTERVAL_MS,
      ),
    },
    stateHorizon: stateHorizonOf(raw.SHOPFLOOR_STATE_HORIZON_SECONDS, raw.SHOPFLOOR_STATE_SWEEP_INTERVAL_MS),
    dirs: {
      data,
      clickhouse: clickhouseDir,
      state: path.join(data, 'state', raw.SHOPFLOOR_INSTANCE_ID),
      metricState: path.join(data, 'metric-state', raw.SHOPFLOOR_INSTANCE_ID),
      sensorState: path.join(data, 'sensor-state', raw.SHOPFLOOR_INSTANCE_ID),
      kafka: path.join(data, 'kafka'),
      schemaRegistry: path.join(data, 'schema-registry'),
    },
    topics: shopfloorTopics(raw.SHOPFLOOR_TOPIC_PREFIX),
  });
}

function biEndpointConfig(raw: RawConfig): BiEndpointConfig | undefined {
  if (raw.SHOPFLOOR_BI_PORT === undefined) return undefined;
  const issues: string[] = [];
  if (raw.SHOPFLOOR_BI_PASSWORD === undefined) {
    issues.push('SHOPFLOOR_BI_PASSWORD: required when SHOPFLOOR_BI_PORT is set');
  }
  if (raw.CLICKHOUSE_URL !== undefined) {
    issues.push(
      'SHOPFLOOR_BI_PORT: the BI endpoint serves the embedded engine; with CLICKHOUSE_URL, BI tools connect to the server (user `bi`)',
    );
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return {
    host: raw.SHOPFLOOR_BI_HOST,
    port: raw.SHOPFLOOR_BI_PORT,
    user: raw.SHOPFLOOR_BI_USER,
    password: raw.SHOPFLOOR_BI_PASSWORD!,
    limits: {
      maxExecutionTimeS: raw.SHOPFLOOR_BI_MAX_EXECUTION_TIME_S,
      maxResultRows: raw.SHOPFLOOR_BI_MAX_RESULT_ROWS,
      maxMemoryBytes: raw.SHOPFLOOR_BI_MAX_MEMORY_BYTES,
    },
  };
}
