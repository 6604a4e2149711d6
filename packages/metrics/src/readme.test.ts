import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { metricsTable } from './metrics-table.ts';

const TABLE = /<!-- metrics-table:start -->\n([\s\S]*?)\n<!-- metrics-table:end -->/;

describe('the Metrics table of the READMEs', () => {
  test.each(['packages/metrics/README.md', 'README.md'])('%s lists every metric as defined', async (file) => {
    const text = readFileSync(path.resolve(import.meta.dirname, '../../..', file), 'utf8');
    expect(TABLE.exec(text)?.[1]).toBe(await metricsTable());
  });
});
