import { splitWindow, type TopDefectLine } from '@shopfloor/contracts';
import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { int64Schema } from './time.ts';

const MINUTE_MS = 60_000;

export interface MachineStatsQuery {
  machineId: string;
  /** Inclusive, epoch ms. */
  startMs: number;
  /** Exclusive, epoch ms. */
  endMs: number;
}

export interface MachineStatsResult {
  eventsCount: number;
  /** Sum of known defect counts (defectCount = -1 counts as an event, never as defects). */
  defectsCount: number;
}

export interface TopDefectLinesQuery {
  factoryId: string;
  fromMs: number;
  toMs: number;
  limit: number;
}

/** A top-defect-lines row as counted by the store (the contracts' `topDefectLine` adds the percent). */
export type TopDefectLineCounts = Omit<TopDefectLine, 'defectsPercent'>;

/**
 * Window parameters: whole minutes for the rollups, the partial head and tail for the change rows.
 * Empty parts are empty ranges, so the statements stay static.
 */
export function windowParams(startMs: number, endMs: number) {
  const { head, buckets, tail } = splitWindow(startMs, endMs, MINUTE_MS);
  const EMPTY = [0, 0] as const; // [0, 0) matches nothing
  const [headFrom, headTo] = head ?? EMPTY;
  const [tailFrom, tailTo] = tail ?? EMPTY;
  const [fullFrom, fullTo] = buckets ?? EMPTY;
  return { fullFrom: fullFrom / 1000, fullTo: fullTo / 1000, headFrom, headTo, tailFrom, tailTo };
}

// Whole minutes as DateTime (seconds); the edges as DateTime64(3) (ms). Signs make every retraction
// cancel the contribution it retracts, in the rollups and in the change rows alike.
export const FULL_MINUTES = `minute >= toDateTime({fullFrom:Int64}, 'UTC') AND minute < toDateTime({fullTo:Int64}, 'UTC')`;
export const EDGES = `((event_time >= fromUnixTimestamp64Milli({headFrom:Int64}, 'UTC')
                 AND event_time < fromUnixTimestamp64Milli({headTo:Int64}, 'UTC'))
             OR (event_time >= fromUnixTimestamp64Milli({tailFrom:Int64}, 'UTC')
                 AND event_time < fromUnixTimestamp64Milli({tailTo:Int64}, 'UTC')))`;
export const SIGNED_EVENTS = 'toInt64(sum(sign))';
export const SIGNED_DEFECTS = 'toInt64(sum(if(defect_count >= 0, sign * defect_count, 0)))';

/** /stats' two halves: the whole minutes from the rollup and the partial edges from the change rows. */
export const MACHINE_MINUTES_SQL = `
  SELECT toInt64(sum(events_count)) AS c, toInt64(sum(defects_count)) AS d
  FROM machine_minute_stats
  WHERE machine_id = {machineId:String} AND ${FULL_MINUTES}`;
export const MACHINE_EDGES_SQL = `
  SELECT ${SIGNED_EVENTS} AS c, ${SIGNED_DEFECTS} AS d
  FROM event_changes
  WHERE machine_id = {machineId:String} AND ${EDGES}`;
/** One statement: the embedded engine's fixed cost is paid once, not per half. */
export const MACHINE_STATS_SQL = `
SELECT toInt64(sum(c)) AS eventsCount, toInt64(sum(d)) AS defectsCount
FROM (${MACHINE_MINUTES_SQL}
  UNION ALL${MACHINE_EDGES_SQL}
)`;

const TOP_DEFECT_LINES_SQL = `
SELECT lid AS lineId, toInt64(sum(d)) AS totalDefects, toInt64(sum(c)) AS eventCount
FROM (
  SELECT toString(line_id) AS lid, toInt64(sum(events_count)) AS c, toInt64(sum(defects_count)) AS d
  FROM line_minute_stats
  WHERE factory_id = {factoryId:String} AND ${FULL_MINUTES}
  GROUP BY lid
  UNION ALL
  SELECT toString(line_id) AS lid, ${SIGNED_EVENTS} AS c, ${SIGNED_DEFECTS} AS d
  FROM event_changes_by_factory
  WHERE factory_id = {factoryId:String} AND ${EDGES}
  GROUP BY lid
)
GROUP BY lid
HAVING eventCount > 0
ORDER BY totalDefects DESC, lineId ASC
LIMIT {limit:UInt32}`;

export const machineStatsSchema = z.object({ eventsCount: int64Schema, defectsCount: int64Schema });
export const topLineSchema = z.object({
  lineId: z.string(),
  totalDefects: int64Schema,
  eventCount: int64Schema,
});

export function assertWindow(startMs: number, endMs: number): void {
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs)) {
    throw new RangeError(`window bounds must be integer epoch ms, got [${startMs}, ${endMs})`);
  }
}

export function clampLimit(limit: number): number {
  if (!Number.isSafeInteger(limit) || limit < 0) throw new RangeError(`limit must be a non-negative integer`);
  return Math.min(limit, 0xffff_ffff);
}

/**
 * Events and defects of one machine in [startMs, endMs), exact to the ms, in ONE statement: whole
 * minutes from machine_minute_stats plus the partial first and last minute from event_changes.
 */
export async function queryMachineStats(
  reader: ClickHouseReader,
  q: MachineStatsQuery,
): Promise<MachineStatsResult> {
  assertWindow(q.startMs, q.endMs);
  if (q.endMs <= q.startMs) return { eventsCount: 0, defectsCount: 0 };
  const rows = await reader.query(MACHINE_STATS_SQL, {
    params: { machineId: q.machineId, ...windowParams(q.startMs, q.endMs) },
  });
  return parseResult(machineStatsSchema, 'machine stats', rows)[0] ?? { eventsCount: 0, defectsCount: 0 };
}

/**
 * Lines of a factory with the most defects in [fromMs, toMs), exact to the ms, in ONE statement:
 * whole minutes from line_minute_stats plus the partial edges from event_changes_by_factory.
 * Lines with no events in the window are left out; ties are broken by lineId.
 */
export async function queryTopDefectLines(
  reader: ClickHouseReader,
  q: TopDefectLinesQuery,
): Promise<TopDefectLineCounts[]> {
  assertWindow(q.fromMs, q.toMs);
  const limit = clampLimit(q.limit);
  if (q.toMs <= q.fromMs || limit === 0) return [];
  const rows = await reader.query(TOP_DEFECT_LINES_SQL, {
    params: { factoryId: q.factoryId, limit, ...windowParams(q.fromMs, q.toMs) },
  });
  return parseResult(topLineSchema, 'top defect lines', rows);
}
