import { readFileSync } from 'node:fs';
import { METRIC_FAILURE_REASONS } from '@shopfloor/metric-events';
import { expect, it } from 'vitest';

it('documents every reason code in the README, and no other', () => {
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  const table = readme.slice(readme.indexOf('### Reason codes'), readme.indexOf('## Topics and records'));
  const documented = [...table.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]);
  expect(documented).toEqual(Object.keys(METRIC_FAILURE_REASONS));
});
