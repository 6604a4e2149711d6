import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';
import type { StatementPriority } from './client-types.ts';

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** How many interactive statements may run in a row while a bulk one waits (bulk never starves). */
export const INTERACTIVE_BURST = 4;

export type GuardedStatement = { priority: StatementPriority };

type Pending = () => Promise<void>;

/**
 * chdb/connection applies per-statement `clickhouse_settings` as `SET k = v; <statement>` on the one
 * session of the process, so a setting STAYS SET for every later statement (measured with chdb 3.4:
 * an insert without a token after one with `insert_deduplication_token = 't'` is silently dropped as
 * a duplicate). Over HTTP every request has its own settings, which is the semantics callers expect.
 *
 * This guard restores them: statements run one at a time (the engine runs them serially anyway), and
 * right before a statement runs, every previously set key it does not set itself is reset with
 * `SET k = DEFAULT`. Statements that keep setting the same keys (the projector's inserts) pay nothing.
 *
 * The order is by priority (issue 12): a queued `interactive` statement (API reads, the alert lane's
 * 1-3 row inserts) runs before queued `bulk` ones (the readings projectors' group inserts), FIFO
 * within a priority; the statement in flight is never pre-empted. At most INTERACTIVE_BURST
 * interactive statements run in a row while a bulk one waits, so a steady read load cannot starve
 * the projectors. Settings are reset at run time, not at enqueue time, so the order does not matter
 * to them; a failed statement (or its reset) fails alone.
 */
export function createSerialSettingsGuard(client: ClickHouseClient) {
  const dirty = new Set<string>();
  const queues: Record<StatementPriority, Pending[]> = { interactive: [], bulk: [] };
  let running = false;
  let interactiveInARow = 0;

  async function resetStale(next: ClickHouseSettings | undefined): Promise<void> {
    const stale = [...dirty].filter((key) => next?.[key] === undefined);
    if (stale.length === 0) return;
    await client.command({ query: `SET ${stale.map((key) => `${key} = DEFAULT`).join(', ')}` });
    for (const key of stale) dirty.delete(key);
  }

  function next(): Pending | undefined {
    const bulkWaits = queues.bulk.length > 0;
    if (queues.interactive.length > 0 && (!bulkWaits || interactiveInARow < INTERACTIVE_BURST)) {
      interactiveInARow++;
      return queues.interactive.shift();
    }
    interactiveInARow = 0;
    return queues.bulk.shift();
  }

  function pump(): void {
    if (running) return;
    const pending = next();
    if (!pending) return;
    running = true;
    void pending().finally(() => {
      running = false;
      pump();
    });
  }

  function run<T>(
    settings: ClickHouseSettings | undefined,
    fn: (settings?: ClickHouseSettings) => Promise<T>,
    statement: GuardedStatement = { priority: 'bulk' },
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const start = async (): Promise<void> => {
        try {
          await resetStale(settings);
          for (const [key, value] of Object.entries(settings ?? {})) {
            if (value === undefined) continue;
            if (!SETTING_NAME.test(key)) throw new Error(`invalid setting name ${JSON.stringify(key)}`);
            dirty.add(key);
          }
          resolve(await fn(settings));
        } catch (error) {
          reject(error);
        }
      };
      queues[statement.priority].push(start);
      pump();
    });
  }

  return { run };
}
