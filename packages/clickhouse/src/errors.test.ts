import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ClickHouseAdapterError, clickHouseErrorCodes } from './errors.ts';

describe('error registry', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

  it.each(Object.keys(clickHouseErrorCodes))('%s is documented in README.md', (code) => {
    expect(readme).toContain(`\`${code}\``);
  });

  it('carries code, retriable flag and detail', () => {
    const error = new ClickHouseAdapterError('CLICKHOUSE_UNAVAILABLE', 'no route', { cause: new Error('x') });
    expect(error).toMatchObject({
      code: 'CLICKHOUSE_UNAVAILABLE',
      retriable: true,
      name: 'ClickHouseAdapterError',
    });
    expect(error.message).toBe('ClickHouse cannot be reached or opened: no route');
  });
});
