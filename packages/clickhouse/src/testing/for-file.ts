import { afterAll, beforeAll } from 'vitest';
import { type EmbeddedClickHouse, startEmbeddedClickHouse } from './embedded.ts';

/**
 * One fresh migrated embedded ClickHouse for the calling test file: started in `beforeAll`, stopped
 * in `afterAll` (also after a failure). Hooks registered later run after the start and, vitest
 * running after-hooks as a stack, before the stop. Read `.ch` in hooks and tests, not at import.
 * (A subpath of its own, `@shopfloor/clickhouse/testing/vitest`: benchmarks use `./testing` outside vitest.)
 */
export function embeddedClickHouseForFile(): { readonly ch: EmbeddedClickHouse } {
  let ch: EmbeddedClickHouse | undefined;
  beforeAll(async () => {
    ch = await startEmbeddedClickHouse();
  });
  afterAll(async () => {
    await ch?.stop();
  });
  return {
    get ch() {
      if (!ch) throw new Error('the embedded ClickHouse starts in beforeAll: read it in a hook or a test');
      return ch;
    },
  };
}
