import type { ClickHouseReader } from '@shopfloor/clickhouse';

/** Bytes the embedded ClickHouse engine accounts for itself (its MemoryTracker and caches). */
export type EngineMemory = {
  /** system.metrics MemoryTracking: what the engine's allocations hold now. */
  tracked: number;
  markCache: number;
  uncompressedCache: number;
  /** jemalloc's resident bytes (the engine's allocator), when the build reports it. */
  jemallocResident: number;
};

const ASYNC = ['MarkCacheBytes', 'UncompressedCacheBytes', 'jemalloc.resident'];

/**
 * Reads the engine's own memory figures through the process's embedded session, so that the
 * bench can tell the engine's share of RSS from the V8 heap and Buffers. Undefined if unreadable.
 */
export async function engineMemory(reader: ClickHouseReader): Promise<EngineMemory | undefined> {
  try {
    const [tracking] = await reader.query(
      "SELECT toInt64(value) AS v FROM system.metrics WHERE metric = 'MemoryTracking'",
    );
    const rows = await reader.query(
      'SELECT metric, toInt64(value) AS v FROM system.asynchronous_metrics WHERE metric IN {names:Array(String)}',
      { params: { names: ASYNC } },
    );
    const of = (name: string) => Number(rows.find((r) => r.metric === name)?.v ?? 0);
    return {
      tracked: Number(tracking?.v ?? 0),
      markCache: of('MarkCacheBytes'),
      uncompressedCache: of('UncompressedCacheBytes'),
      jemallocResident: of('jemalloc.resident'),
    };
  } catch {
    return undefined;
  }
}
