import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  CONFIG_DOCS,
  ConfigError,
  configSchema,
  configTableMarkdown,
  loadConfig,
  v8HeapFlags,
} from './index.ts';

describe('loadConfig', () => {
  test("each stream processor's folder is per instance, under the data dir", () => {
    const c = loadConfig({ SHOPFLOOR_INSTANCE_ID: 'b' }, '/srv/app');
    expect(c.dirs).toMatchObject({
      state: '/srv/app/.data/state/b',
      metricState: '/srv/app/.data/metric-state/b',
      sensorState: '/srv/app/.data/sensor-state/b',
    });
  });

  test('defaults make the embedded mode work untouched', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.SHOPFLOOR_DEMO).toBe(true);
    expect(c.kafka).toEqual({ brokers: ['127.0.0.1:9092'], localBroker: true });
    expect(c.schemaRegistry).toEqual({ url: 'http://127.0.0.1:8081/apis/ccompat/v7', localRegistry: true });
    expect(c.dirs.schemaRegistry).toBe('/srv/app/.data/schema-registry');
    expect(c.CLICKHOUSE_URL).toBeUndefined();
    expect(c.dirs.clickhouse).toBe('/srv/app/.data/clickhouse');
    expect(c.topics).toEqual({
      raw: 'events.raw',
      state: 'events.state',
      changes: 'events.change-batches',
      deadLetter: 'events.dlq',
      outcomes: 'events.outcomes',
      invalid: 'events.invalid',
      keys: 'shopfloor.keys',
    });
    expect(c.SHOPFLOOR_MAX_BATCH_EVENTS).toBeGreaterThanOrEqual(10_000);
    expect(Object.isFrozen(c)).toBe(true);
  });

  test('the start command: topology and the heap bound of its processes', () => {
    expect(loadConfig({})).toMatchObject({ SHOPFLOOR_TOPOLOGY: 'split', SHOPFLOOR_MAX_OLD_SPACE_MB: 384 });
    expect(loadConfig({ SHOPFLOOR_TOPOLOGY: 'single', SHOPFLOOR_MAX_OLD_SPACE_MB: '0' })).toMatchObject({
      SHOPFLOOR_TOPOLOGY: 'single',
      SHOPFLOOR_MAX_OLD_SPACE_MB: 0,
    });
    expect(() => loadConfig({ SHOPFLOOR_TOPOLOGY: 'both' })).toThrow(
      /SHOPFLOOR_TOPOLOGY: must be single or split/,
    );
    expect(() => loadConfig({ SHOPFLOOR_MAX_OLD_SPACE_MB: '64' })).toThrow(
      /SHOPFLOOR_MAX_OLD_SPACE_MB: must be 0 \(node default\) or at least 128/,
    );
    expect(() => loadConfig({ SHOPFLOOR_HEAP_GROWING_PERCENT: '1001' })).toThrow(
      /SHOPFLOOR_HEAP_GROWING_PERCENT/,
    );
  });

  test("the node flags of the start command's processes follow the heap settings", () => {
    expect(v8HeapFlags(loadConfig({}))).toEqual([
      '--max-old-space-size=384',
      '--heap-growing-percent=300',
      '--max-semi-space-size=64',
    ]);
    expect(
      v8HeapFlags(
        loadConfig({
          SHOPFLOOR_MAX_OLD_SPACE_MB: '512',
          SHOPFLOOR_HEAP_GROWING_PERCENT: '100',
          SHOPFLOOR_MAX_SEMI_SPACE_MB: '32',
        }),
      ),
    ).toEqual(['--max-old-space-size=512', '--heap-growing-percent=100', '--max-semi-space-size=32']);
    // 0 leaves each to node and V8.
    expect(
      v8HeapFlags(
        loadConfig({
          SHOPFLOOR_MAX_OLD_SPACE_MB: '0',
          SHOPFLOOR_HEAP_GROWING_PERCENT: '0',
          SHOPFLOOR_MAX_SEMI_SPACE_MB: '0',
        }),
      ),
    ).toEqual([]);
    // V8 rounds a semi-space up to a power of two; the setting says so instead of surprising.
    expect(() => loadConfig({ SHOPFLOOR_MAX_SEMI_SPACE_MB: '48' })).toThrow(
      /SHOPFLOOR_MAX_SEMI_SPACE_MB: must be 0 \(node default\) or a power of two \(MiB\)/,
    );
  });

  test('parses every kind of value', () => {
    const c = loadConfig({
      PORT: '8080',
      SHOPFLOOR_DEMO: '0',
      KAFKA_BROKERS: 'a:9092, b:9093',
      SHOPFLOOR_TOPIC_PREFIX: 't1.',
      CLICKHOUSE_URL: 'http://127.0.0.1:8123',
    });
    expect(c.PORT).toBe(8080);
    expect(c.SHOPFLOOR_DEMO).toBe(false);
    expect(c.kafka).toEqual({ brokers: ['a:9092', 'b:9093'], localBroker: false });
    expect(c.topics.raw).toBe('t1.events.raw');
    expect(c.CLICKHOUSE_URL).toBe('http://127.0.0.1:8123');
  });

  test('a schema registry URL means no local registry; a local port moves the default URL', () => {
    const url = 'http://registry:8080/apis/ccompat/v7';
    expect(loadConfig({ SCHEMA_REGISTRY_URL: url }).schemaRegistry).toEqual({ url, localRegistry: false });
    expect(loadConfig({ SCHEMA_REGISTRY_LOCAL_PORT: '18081' }).schemaRegistry.url).toBe(
      'http://127.0.0.1:18081/apis/ccompat/v7',
    );
    expect(() => loadConfig({ SCHEMA_REGISTRY_URL: 'registry:8080' })).toThrow(
      /SCHEMA_REGISTRY_URL: must be the http\(s\) URL/,
    );
  });

  test('derives the ClickHouse connection and the state horizon', () => {
    expect(loadConfig({}, '/srv/app').clickhouse).toEqual({
      dataDir: '/srv/app/.data/clickhouse',
      database: 'default',
      username: 'default',
      password: '',
      engine: { maxMemoryBytes: undefined, cacheBytes: 64 * 1024 * 1024, mergeThreadsNice: 19 },
      sessions: 2,
      readSessions: 1,
    });
    expect(loadConfig({ SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS: '1' }).clickhouse.sessions).toBe(1);
    expect(loadConfig({ SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS: '0' }).clickhouse.readSessions).toBe(0);
    expect(() => loadConfig({ SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS: '-1' })).toThrow(
      /SHOPFLOOR_CLICKHOUSE_EMBEDDED_READ_SESSIONS/,
    );
    expect(() => loadConfig({ SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS: '0' })).toThrow(
      /SHOPFLOOR_CLICKHOUSE_EMBEDDED_SESSIONS/,
    );
    expect(
      loadConfig({
        SHOPFLOOR_CLICKHOUSE_MAX_MEMORY_BYTES: '2000000000',
        SHOPFLOOR_CLICKHOUSE_CACHE_BYTES: '0',
        SHOPFLOOR_CLICKHOUSE_MERGE_NICE: '0',
      }).clickhouse.engine,
    ).toEqual({ maxMemoryBytes: 2_000_000_000, cacheBytes: 0, mergeThreadsNice: 0 });
    expect(() => loadConfig({ SHOPFLOOR_CLICKHOUSE_MERGE_NICE: '20' })).toThrow(
      /SHOPFLOOR_CLICKHOUSE_MERGE_NICE/,
    );
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123' }).clickhouse.url).toBe('http://ch:8123');
    expect(loadConfig({}).stateHorizon).toBeUndefined();
    expect(
      loadConfig({ SHOPFLOOR_STATE_HORIZON_SECONDS: '60', SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: '500' })
        .stateHorizon,
    ).toEqual({ horizonMs: 60_000, sweepIntervalMs: 500 });
  });

  test('an empty variable counts as unset', () => {
    expect(loadConfig({ PORT: '', KAFKA_BROKERS: '' }).PORT).toBe(3000);
  });

  test.each([
    ['PORT', 'abc', /PORT: must be a whole number \(got "abc"\)/],
    ['PORT', '70000', /PORT: .*65535/],
    ['SHOPFLOOR_DEMO', 'maybe', /SHOPFLOOR_DEMO: must be one of 0, 1/],
    ['KAFKA_BROKERS', 'localhost', /KAFKA_BROKERS: each broker must be host:port/],
    ['CLICKHOUSE_URL', 'not a url', /CLICKHOUSE_URL: must be an http\(s\) URL/],
    ['SHOPFLOOR_TOPIC_PREFIX', 'a b', /SHOPFLOOR_TOPIC_PREFIX: may contain only/],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL/],
  ])('%s=%s fails fast naming the variable', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  test('reports every bad variable at once', () => {
    try {
      loadConfig({ PORT: 'x', SHOPFLOOR_PARTITIONS: '0' });
      expect.unreachable();
    } catch (e) {
      expect((e as ConfigError).issues).toHaveLength(2);
    }
  });
});

describe('documentation', () => {
  test('every variable is documented', () => {
    expect(Object.keys(CONFIG_DOCS).sort()).toEqual(Object.keys(configSchema.shape).sort());
  });

  test('the README holds the generated configuration table', () => {
    const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
    expect(readme).toContain(configTableMarkdown());
  });
});
