import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

// The projector library (what src/index.ts reaches) must not depend on the query service: only the
// process entry point main.ts composes the two, through the query service's public buildQueryApp.
it('no module of the projector library but main.ts imports @shopfloor/query', () => {
  const dir = new URL('./', import.meta.url);
  const library = readdirSync(dir).filter(
    (f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'main.ts',
  );
  expect(library).toContain('index.ts');
  const importers = library.filter((f) =>
    /from '@shopfloor\/query'/.test(readFileSync(new URL(f, dir), 'utf8')),
  );
  expect(importers).toEqual([]);
  expect(readFileSync(new URL('main.ts', dir), 'utf8')).toMatch(/from '@shopfloor\/query'/);
});
