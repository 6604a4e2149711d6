import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from 'vitest';
import { rejectionReasonsMarkdown } from './rejection-reasons.ts';

test('the README lists every rejection reason as the code describes it (tsx scripts/update-readme-tables.ts)', () => {
  const readme = readFileSync(path.resolve(import.meta.dirname, '../../../README.md'), 'utf8');
  expect(readme).toContain(rejectionReasonsMarkdown());
});
