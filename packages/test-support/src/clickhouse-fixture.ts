import {
  type EmbeddedClickHouse,
  startEmbeddedClickHouse,
  withEmbeddedClickHouse,
} from '@shopfloor/clickhouse/testing';
import { test } from 'vitest';

// The embedded engine itself lives in @shopfloor/clickhouse/testing (its own tests use it too);
// this file adds the vitest fixture.
export { type EmbeddedClickHouse, startEmbeddedClickHouse, withEmbeddedClickHouse };

export interface ClickHouseFixtures {
  /** One fresh migrated embedded ClickHouse per test file, stopped after the file. */
  clickhouse: EmbeddedClickHouse;
}

/** `clickHouseTest('...', async ({ clickhouse }) => ...)`; the engine is shared by the file's tests. */
export const clickHouseTest = test.extend<ClickHouseFixtures>({
  clickhouse: [
    // biome-ignore lint/correctness/noEmptyPattern: vitest reads fixture dependencies from the pattern
    async ({}, use) => {
      const ch = await startEmbeddedClickHouse();
      try {
        await use(ch);
      } finally {
        await ch.stop();
      }
    },
    { scope: 'file' },
  ],
});
