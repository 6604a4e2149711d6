import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { ChildHandle } from './children.ts';
import { round } from './stats.ts';

/** The embedded engine's cumulative work counters (system.events), by event name. */
export type EngineCounters = Partial<Record<(typeof EVENTS)[number], number>>;

// MergeTotalMilliseconds: the merges' own time, which bench/micro/merge-amplification.ts prints.
const EVENTS = [
  'InsertQuery',
  'InsertedRows',
  'SelectQuery',
  'Merge',
  'MergedRows',
  'MergeTotalMilliseconds',
] as const;

/**
 * What the engine did between two counter readings, per 1000 items (readings or events) the run
 * sent: its statements, and how much its background merges rewrote. Merges run on threads of
 * their own, so their cost shows in no statement's time; rows merged per row inserted is their
 * write amplification (every small insert is a part that merges copy again, level by level).
 */
export type EngineActivity = {
  insertsPer1000: number;
  selectsPer1000: number;
  mergesPer1000: number;
  /** The merges' own time (summed over merge threads, wall clock), per 1000 items. */
  mergeMsPer1000: number;
  /** Rows the merges wrote per row the inserts wrote. */
  mergedRowsPerInsertedRow: number;
};

/** Reads the counters through the process's own session (undefined if the engine does not serve them). */
export async function readEngineCounters(reader: ClickHouseReader): Promise<EngineCounters | undefined> {
  try {
    const rows = await reader.query(
      `SELECT event, toInt64(value) AS v FROM system.events WHERE event IN (${EVENTS.map((e) => `'${e}'`).join(', ')})`,
    );
    return Object.fromEntries(rows.map((r) => [String(r.event), Number(r.v)]));
  } catch {
    return undefined;
  }
}

/** The pipeline child's engine counters (undefined for a child without an embedded engine). */
export const engineCounters = (child: Pick<ChildHandle, 'request'>) =>
  child.request<EngineCounters | undefined>('engineCounters').catch(() => undefined);

export function engineActivity(
  a: EngineCounters | undefined,
  b: EngineCounters | undefined,
  items: number,
): EngineActivity | undefined {
  if (!a || !b || items <= 0) return undefined;
  const d = (k: (typeof EVENTS)[number]) => (b[k] ?? 0) - (a[k] ?? 0);
  const per1000 = (n: number) => round((n * 1000) / items, 1);
  return {
    insertsPer1000: per1000(d('InsertQuery')),
    selectsPer1000: per1000(d('SelectQuery')),
    mergesPer1000: per1000(d('Merge')),
    mergeMsPer1000: per1000(d('MergeTotalMilliseconds')),
    mergedRowsPerInsertedRow: round(d('MergedRows') / Math.max(1, d('InsertedRows')), 2),
  };
}

/** "engine per 1000 readings: …" (no separator), for the end of a row; '' without figures. */
export function engineActivitySummary(e: EngineActivity | undefined, item: string): string {
  if (!e) return '';
  return `engine per 1000 ${item}: ${e.insertsPer1000} inserts, ${e.selectsPer1000} selects, ${e.mergesPer1000} merges of ${e.mergeMsPer1000} ms (${e.mergedRowsPerInsertedRow} rows merged per row inserted)`;
}

/** "engine per 1000 readings: …; " for the middle of a row ('' without figures). */
export function engineActivityText(e: EngineActivity | undefined, item: string): string {
  const summary = engineActivitySummary(e, item);
  return summary && `${summary}; `;
}
