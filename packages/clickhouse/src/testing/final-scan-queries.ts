import type { ClickHouseReader } from '../client.ts';
import { parseResult } from '../rows.ts';
import {
  assertWindow,
  clampLimit,
  type MachineStatsQuery,
  type MachineStatsResult,
  machineStatsSchema,
  type TopDefectLineCounts,
  type TopDefectLinesQuery,
  topLineSchema,
} from '../stats-queries.ts';

// The stats answers computed from a FINAL scan of the winners: the test oracle and the benchmark
// baseline, never for serving (a full scan; the rollups answer the API).

const WINDOW = `event_time >= fromUnixTimestamp64Milli({startMs:Int64}, 'UTC')
  AND event_time < fromUnixTimestamp64Milli({endMs:Int64}, 'UTC')`;

/** queryMachineStats computed by scanning `events FINAL`: the oracle, not for serving. */
export async function queryMachineStatsFromFinal(
  reader: ClickHouseReader,
  q: MachineStatsQuery,
): Promise<MachineStatsResult> {
  assertWindow(q.startMs, q.endMs);
  const rows = await reader.query(
    `SELECT toInt64(count()) AS eventsCount, toInt64(sum(if(defect_count >= 0, defect_count, 0))) AS defectsCount
     FROM events FINAL
     WHERE machine_id = {machineId:String} AND ${WINDOW}`,
    { params: { machineId: q.machineId, startMs: q.startMs, endMs: q.endMs } },
  );
  return (
    parseResult(machineStatsSchema, 'machine stats (final)', rows)[0] ?? { eventsCount: 0, defectsCount: 0 }
  );
}

/** queryTopDefectLines computed by scanning `events FINAL`: the oracle, not for serving. */
export async function queryTopDefectLinesFromFinal(
  reader: ClickHouseReader,
  q: TopDefectLinesQuery,
): Promise<TopDefectLineCounts[]> {
  assertWindow(q.fromMs, q.toMs);
  const limit = clampLimit(q.limit);
  const rows = await reader.query(
    `SELECT toString(line_id) AS lineId,
            toInt64(sum(if(defect_count >= 0, defect_count, 0))) AS totalDefects,
            toInt64(count()) AS eventCount
     FROM events FINAL
     WHERE factory_id = {factoryId:String} AND ${WINDOW}
     GROUP BY line_id
     HAVING eventCount > 0
     ORDER BY totalDefects DESC, lineId ASC
     LIMIT {limit:UInt32}`,
    { params: { factoryId: q.factoryId, limit, startMs: q.fromMs, endMs: q.toMs } },
  );
  return parseResult(topLineSchema, 'top defect lines (final)', rows);
}
