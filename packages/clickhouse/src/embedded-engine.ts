import { Session } from 'chdb';

/**
 * Memory bounds and thread priorities of the embedded engine. They are server settings, not
 * per-query ones, so they can only be given when the process's engine starts (chdb's
 * `connectionArgs`); unset keeps the engine's defaults (90 % of RAM, 5 GiB for each of its mark
 * and index caches, merge threads at the process's priority).
 */
export interface EmbeddedEngineLimits {
  /** max_server_memory_usage: past it the engine refuses a query or insert (MEMORY_LIMIT_EXCEEDED). */
  maxMemoryBytes?: number | undefined;
  /** The size of each engine cache that grows with the data read: marks, primary index, skip-index marks, query conditions. */
  cacheBytes?: number | undefined;
  /**
   * The Linux nice value (0-19) of the engine's background merge and mutation threads; 0 or unset
   * keeps them at the process's priority. On a small machine where the pipeline, the broker and the
   * merges share the cores, a merge of many small parts would otherwise hold a core for hundreds
   * of ms while a transaction or an alert waits; niced, it runs on what the others leave. The
   * engine applies it only with CAP_SYS_NICE (as root, say), else ignores it.
   */
  mergeThreadsNice?: number | undefined;
}

const CACHES = [
  'mark_cache_size',
  'primary_index_cache_size',
  'index_mark_cache_size',
  'query_condition_cache_size',
];

/** The engine's command-line form of the limits (`clickhouse local` arguments). */
export function embeddedEngineArgs(limits: EmbeddedEngineLimits = {}): string[] {
  const args: string[] = [];
  if (limits.maxMemoryBytes) args.push(`--max_server_memory_usage=${limits.maxMemoryBytes}`);
  if (limits.cacheBytes !== undefined) args.push(...CACHES.map((name) => `--${name}=${limits.cacheBytes}`));
  if (limits.mergeThreadsNice) args.push(`--os_threads_nice_value_merge_mutate=${limits.mergeThreadsNice}`);
  return args;
}

/**
 * Starts the process's engine in `dataDir` with the limits, before the client connects: chdb
 * binds one engine per process and data directory, and later connections to the same directory
 * share it (and its settings). The returned session must stay open as long as the client.
 */
export function startEmbeddedEngine(dataDir: string, limits: EmbeddedEngineLimits | undefined) {
  const args = embeddedEngineArgs(limits);
  return args.length > 0 ? new Session(dataDir, { connectionArgs: args }) : undefined;
}
