import type { ClickHouseClient, ClickHouseSettings } from '@clickhouse/client';

const SETTING_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * chdb/connection applies per-statement `clickhouse_settings` as `SET k = v; <statement>` on the one
 * session of the process, so a setting STAYS SET for every later statement (measured with chdb 3.4:
 * an insert without a token after one with `insert_deduplication_token = 't'` is silently dropped as
 * a duplicate). Over HTTP every request has its own settings, which is the semantics callers expect.
 *
 * This guard restores them: statements run one at a time (the engine runs them serially anyway), and
 * before a statement that does not set a previously set key, that key is reset with
 * `SET k = DEFAULT`. Statements that keep setting the same keys (the projector's inserts) pay nothing.
 */
export function createSerialSettingsGuard(client: ClickHouseClient) {
  let tail: Promise<unknown> = Promise.resolve();
  const dirty = new Set<string>();

  async function resetStale(next: ClickHouseSettings | undefined): Promise<void> {
    const stale = [...dirty].filter((key) => next?.[key] === undefined);
    if (stale.length === 0) return;
    await client.command({ query: `SET ${stale.map((key) => `${key} = DEFAULT`).join(', ')}` });
    for (const key of stale) dirty.delete(key);
  }

  function serially<T>(
    settings: ClickHouseSettings | undefined,
    sticky: boolean,
    fn: (settings?: ClickHouseSettings) => Promise<T>,
  ): Promise<T> {
    const step = async (): Promise<T> => {
      await resetStale(settings);
      for (const [key, value] of Object.entries(settings ?? {})) {
        if (value === undefined) continue;
        if (!SETTING_NAME.test(key)) throw new Error(`invalid setting name ${JSON.stringify(key)}`);
        if (sticky) dirty.add(key);
      }
      return fn(settings);
    };
    const result = tail.then(step, step);
    tail = result.catch(() => undefined);
    return result;
  }

  return {
    /** A statement whose settings chdb/connection applies as sticky `SET`s. */
    run: <T>(settings: ClickHouseSettings | undefined, fn: (settings?: ClickHouseSettings) => Promise<T>) =>
      serially(settings, true, fn),
    /**
     * A statement that carries its settings itself (an INSERT's SETTINGS clause): they end with it,
     * so nothing is left to reset; keys set by earlier statements and not overridden are reset first.
     */
    runStatementScoped: <T>(
      settings: ClickHouseSettings | undefined,
      fn: (settings?: ClickHouseSettings) => Promise<T>,
    ) => serially(settings, false, fn),
  };
}
