import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('BI endpoint configuration', () => {
  test('off by default', () => {
    expect(loadConfig({}).bi).toBeUndefined();
  });

  test('on with a port and a password, on loopback, with bounded queries', () => {
    expect(loadConfig({ SHOPFLOOR_BI_PORT: '8123', SHOPFLOOR_BI_PASSWORD: 'bi-secret' }).bi).toEqual({
      host: '127.0.0.1',
      port: 8123,
      user: 'bi',
      password: 'bi-secret',
      limits: { maxExecutionTimeS: 30, maxResultRows: 1_000_000, maxMemoryBytes: 1024 ** 3 },
    });
  });

  test('a port without a password, or next to a ClickHouse server, is refused with the variable named', () => {
    expect(() => loadConfig({ SHOPFLOOR_BI_PORT: '8123' })).toThrow(/SHOPFLOOR_BI_PASSWORD: required/);
    expect(() =>
      loadConfig({
        SHOPFLOOR_BI_PORT: '8123',
        SHOPFLOOR_BI_PASSWORD: 'bi-secret',
        CLICKHOUSE_URL: 'http://ch:8123',
      }),
    ).toThrow(ConfigError);
    expect(() => loadConfig({ SHOPFLOOR_BI_PORT: '8123', SHOPFLOOR_BI_PASSWORD: 'short' })).toThrow(
      /SHOPFLOOR_BI_PASSWORD: must be at least 8 characters/,
    );
  });
});
