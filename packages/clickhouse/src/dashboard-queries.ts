import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { EDGES, FULL_MINUTES, SIGNED_DEFECTS, SIGNED_EVENTS, windowParams } from './stats-queries.ts';
import { int64Schema } from './time.ts';

/** Width of the buckets of `outcome_10s_stats` (migration 0010). */
export const OUTCOME_BUCKET_MS = 10_000;
const MINUTE_MS = 60_000;

export interface TimeRange {
  /** Inclusive, epoch ms. */
  fromMs: number;
  /** Exclusive, epoch ms. */
  toMs: number;
}

export interface MachineWindowCounts {
  machineId: string;
  eventsCount: number;
  defectsCount: number;
}

export interface OutcomeBucket {
  /** Start of the 10-second bucket, epoch ms. */
  bucketMs: number;
  /** A batch decision: accepted, deduped, updated, stale or rejected. */
  decision: string;
  /** The rejection reason, '' for other decisions. */
  reason: string;
  events: number;
}

function assertRange({ fromMs, toMs }: TimeRange): void {
  if (!Number.isSafeInteger(fromMs) || !Number.isSafeInteger(toMs)) {
    throw new RangeError(`range bounds must be integer epoch ms, got [${fromMs}, ${toMs})`);
  }
}

// Same cut as queryMachineStats (whole minutes from the rollup, partial edges from the signed change
// rows), grouped by machine instead of filtered to one.
const MACHINES_SQL = `
SELECT mid AS machineId, toInt64(sum(c)) AS eventsCount, toInt64(sum(d)) AS defectsCount
FROM (
  SELECT toString(machine_id) AS mid, toInt64(sum(events_count)) AS c, toInt64(sum(defects_count)) AS d
  FROM machine_minute_stats
  WHERE ${FULL_MINUTES}
  GROUP BY mid
  UNION ALL
  SELECT toString(machine_id) AS mid, ${SIGNED_EVENTS} AS c, ${SIGNED_DEFECTS} AS d
  FROM event_changes
  WHERE ${EDGES}
  GROUP BY mid
)
GROUP BY mid
HAVING eventsCount > 0
ORDER BY defectsCount DESC, machineId ASC
LIMIT {limit:UInt32}`;

const machineSchema = z.object({
  machineId: z.string(),
  eventsCount: int64Schema,
  defectsCount: int64Schema,
});

/**
 * Events and defects of every machine with events in [fromMs, toMs), exact to the ms (the same
 * numbers `GET /stats` gives per machine), most defects first, ties by machineId, at most `limit`.
 */
export async function queryMachinesStats(
  reader: ClickHouseReader,
  q: TimeRange & { limit: number },
): Promise<MachineWindowCounts[]> {
  assertRange(q);
  if (q.toMs <= q.fromMs || q.limit <= 0) return [];
  const rows = await reader.query(MACHINES_SQL, {
    params: { limit: Math.min(Math.trunc(q.limit), 0xffff_ffff), ...windowParams(q.fromMs, q.toMs) },
  });
  return parseResult(machineSchema, 'machines stats', rows);
}

/**
 * Factories with events in the minutes that [fromMs, toMs) touches, by id: the choices of a
 * factory picker, read from the line rollup (a factory whose only events lie in the uncovered part
 * of a partial edge minute is listed too).
 */
export async function queryFactoryIds(reader: ClickHouseReader, q: TimeRange): Promise<string[]> {
  assertRange(q);
  if (q.toMs <= q.fromMs) return [];
  const rows = await reader.query(
    `SELECT toString(factory_id) AS factoryId
     FROM line_minute_stats
     WHERE minute >= toDateTime({fromS:Int64}, 'UTC') AND minute < toDateTime({toS:Int64}, 'UTC')
     GROUP BY factory_id
     HAVING sum(events_count) > 0
     ORDER BY factoryId`,
    {
      params: {
        fromS: Math.floor(q.fromMs / MINUTE_MS) * 60,
        toS: Math.ceil(q.toMs / MINUTE_MS) * 60,
      },
    },
  );
  return parseResult(z.object({ factoryId: z.string() }), 'factory ids', rows).map((r) => r.factoryId);
}

const bucketSchema = z.object({
  bucketMs: int64Schema,
  decision: z.string(),
  reason: z.string(),
  events: int64Schema,
});

/**
 * Batch outcomes per 10-second bucket, decision and reason, for the buckets that start in
 * [fromMs, toMs), oldest first (from the `outcome_10s_stats` rollup; bucket 0 rows are omitted).
 */
export async function queryOutcomeBuckets(reader: ClickHouseReader, q: TimeRange): Promise<OutcomeBucket[]> {
  assertRange(q);
  if (q.toMs <= q.fromMs) return [];
  const rows = await reader.query(
    `SELECT toInt64(toUnixTimestamp(bucket)) * 1000 AS bucketMs, toString(decision) AS decision,
            toString(reason) AS reason, toInt64(sum(events)) AS events
     FROM outcome_10s_stats
     WHERE bucket >= toDateTime({fromS:Int64}, 'UTC') AND bucket < toDateTime({toS:Int64}, 'UTC')
     GROUP BY bucket, decision, reason
     HAVING events != 0
     ORDER BY bucket, decision, reason`,
    { params: { fromS: Math.ceil(q.fromMs / 1000), toS: Math.ceil(q.toMs / 1000) } },
  );
  return parseResult(bucketSchema, 'outcome buckets', rows);
}

export interface OutcomeCount {
  decision: string;
  reason: string;
  events: number;
}

/**
 * Batch outcomes per decision and reason, summed over the 10-second buckets that start in
 * [fromMs, toMs) (from the `outcome_10s_stats` rollup), most events first.
 */
export async function queryOutcomeTotals(reader: ClickHouseReader, q: TimeRange): Promise<OutcomeCount[]> {
  assertRange(q);
  if (q.toMs <= q.fromMs) return [];
  const rows = await reader.query(
    `SELECT toString(decision) AS decision, toString(reason) AS reason, toInt64(sum(events)) AS events
     FROM outcome_10s_stats
     WHERE bucket >= toDateTime({fromS:Int64}, 'UTC') AND bucket < toDateTime({toS:Int64}, 'UTC')
     GROUP BY decision, reason
     HAVING events != 0
     ORDER BY events DESC, decision, reason`,
    { params: { fromS: Math.ceil(q.fromMs / 1000), toS: Math.ceil(q.toMs / 1000) } },
  );
  return parseResult(bucketSchema.omit({ bucketMs: true }), 'outcome totals', rows);
}
