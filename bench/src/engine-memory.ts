import type { ClickHouseReader } from '@shopfloor/clickhouse';

/** Bytes the embedded ClickHouse engine accounts for itself. */
export type EngineMemory = {
  /** system.metrics MemoryTracking: what the engine's allocations hold now (queries, inserts, caches). */
  tracked: number;
  /** MergesMutationsMemoryTracking: the part of it held by background merges. */
  merges: number;
  /** Every system.metrics `*CacheBytes` summed (marks, primary index, query conditions, ...). */
  caches: number;
  /** jemalloc's `resident` (the engine's allocator: pages it holds, freed ones not yet returned). */
  allocatorResident: number;
  /** Active data parts of every table, and of the table with the most: what merges have not yet caught up with. */
  activeParts: number;
  maxTableParts: number;
};

/**
 * Reads the engine's own memory figures through the process's embedded session, so that the
 * bench can tell the engine's share of RSS from the V8 heap and Buffers. Undefined if unreadable.
 * (chdb has no system.asynchronous_metrics; jemalloc's totals are in its stats text.)
 */
export async function engineMemory(reader: ClickHouseReader): Promise<EngineMemory | undefined> {
  try {
    const rows = await reader.query(
      "SELECT metric, toInt64(value) AS v FROM system.metrics WHERE metric IN ('MemoryTracking', 'MergesMutationsMemoryTracking') OR metric LIKE '%CacheBytes'",
    );
    const of = (name: string) => Number(rows.find((r) => r.metric === name)?.v ?? 0);
    const caches = rows
      .filter((r) => String(r.metric).endsWith('CacheBytes'))
      .reduce((a, r) => a + Number(r.v), 0);
    const [stats] = await reader.query('SELECT stats FROM system.jemalloc_stats');
    const resident = /resident: (\d+)/.exec(String(stats?.stats ?? ''));
    const [parts] = await reader.query(
      'SELECT sum(n) AS total, max(n) AS most FROM (SELECT count() AS n FROM system.parts WHERE active GROUP BY database, table)',
    );
    return {
      tracked: of('MemoryTracking'),
      merges: of('MergesMutationsMemoryTracking'),
      caches,
      allocatorResident: resident ? Number(resident[1]) : 0,
      activeParts: Number(parts?.total ?? 0),
      maxTableParts: Number(parts?.most ?? 0),
    };
  } catch {
    return undefined;
  }
}
