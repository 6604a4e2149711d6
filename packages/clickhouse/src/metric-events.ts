import { splitWindow } from '@shopfloor/contracts';
import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { type ClientWindowPageQuery, clientWindowPage } from './client-window-page.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const METRIC_EVENTS_TABLE = 'metric_events';

export const metricEventColumns = [
  'id',
  'client_id',
  'source',
  'metric',
  'amount',
  'ts',
  'received_at',
  'request_id',
  'seq',
] as const;

/** One counted metric event (the processor sent duplicates and failures elsewhere). */
export const metricEventRowSchema = z.object({
  id: z.string().regex(/^[0-9a-f]{64}$/),
  clientId: z.string().min(1),
  source: z.string().nullable(),
  metric: z.string().min(1),
  amount: z.int(),
  timestampMs: epochMsSchema,
  receivedAt: epochMsSchema,
  requestId: z.string().min(1),
  seq: z.int().min(0),
});
export type MetricEventRow = z.infer<typeof metricEventRowSchema>;

/** Inserts counted events; the same `dedupToken` makes a replay a no-op, in the rollup too. */
export const insertMetricEvents: TableInsert<MetricEventRow> = tableInserter({
  table: METRIC_EVENTS_TABLE,
  columns: metricEventColumns,
  schema: metricEventRowSchema,
  toValues: (r) => [
    r.id,
    r.clientId,
    r.source,
    r.metric,
    r.amount,
    toDateTime64(r.timestampMs),
    toDateTime64(r.receivedAt),
    r.requestId,
    r.seq,
  ],
});

/** Keyset position in the newest-first listing: (timestamp, id) of the last row of the page. */
export type MetricEventCursor = { timestampMs: number; id: string };

/** The window is on the event's timestamp. */
export type MetricEventsPageQuery = ClientWindowPageQuery<MetricEventCursor>;

const listedRowSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  source: z.string().nullable(),
  metric: z.string(),
  amount: int64Schema,
  timestampMs: int64Schema,
  receivedAt: int64Schema,
});
export type ListedMetricEvent = z.infer<typeof listedRowSchema>;

/**
 * Counted events, newest timestamp first (ties by id, descending), after the cursor, at most
 * `limit`. Every filter is a server-side parameter; an absent one is a bound that matches all.
 */
export async function queryMetricEventsPage(
  reader: ClickHouseReader,
  q: MetricEventsPageQuery,
): Promise<ListedMetricEvent[]> {
  const page = clientWindowPage('ts', q);
  const rows = await reader.query(
    `SELECT id, client_id AS clientId, source, toString(metric) AS metric, amount,
            toUnixTimestamp64Milli(ts) AS timestampMs, toUnixTimestamp64Milli(received_at) AS receivedAt
     FROM metric_events FINAL
     WHERE ${page.where}
       AND ({first:UInt8} = 1 OR (ts, id) < (fromUnixTimestamp64Milli({afterTs:Int64}, 'UTC'), {afterId:String}))
     ORDER BY ts DESC, id DESC
     LIMIT {limit:UInt32}`,
    {
      params: { ...page.params, afterTs: q.after?.timestampMs ?? 0, afterId: q.after?.id ?? '' },
    },
  );
  return parseResult(listedRowSchema, 'metric events page', rows);
}

export type MetricTotals = { metric: string | null; count: number; totalAmount: bigint };

const totalsRowSchema = z.object({ metric: z.string(), count: int64Schema, total: z.string() });

/**
 * Count and total amount of one client's counted events over [fromMs, toMs), exact to the ms, in
 * one statement: whole minutes from the minute totals, the partial first and last minute from the
 * events table by its primary key (client_id, ts), never a scan of the client's rows. `byMetric`
 * gives one row per metric (metric order), else one row with `metric: null`.
 */
export async function queryMetricTotals(
  reader: ClickHouseReader,
  q: { clientId: string; fromMs: number; toMs: number; byMetric: boolean },
): Promise<MetricTotals[]> {
  const none = (): MetricTotals[] => (q.byMetric ? [] : [{ metric: null, count: 0, totalAmount: 0n }]);
  if (q.toMs <= q.fromMs) return none();
  const { head, buckets, tail } = splitWindow(q.fromMs, q.toMs, 60_000);
  const EMPTY = [0, 0] as const;
  const [headFrom, headTo] = head ?? EMPTY;
  const [tailFrom, tailTo] = tail ?? EMPTY;
  const [fullFrom, fullTo] = buckets ?? EMPTY;
  const group = q.byMetric ? 'toString(metric)' : "''";
  const rows = await reader.query(
    `SELECT m AS metric, toInt64(sum(c)) AS count, toString(sum(t)) AS total
     FROM (
       SELECT ${group} AS m, sum(events_count) AS c, sum(total_amount) AS t
       FROM metric_minute_totals
       WHERE client_id = {clientId:String}
         AND minute >= toDateTime({fullFrom:Int64}, 'UTC') AND minute < toDateTime({fullTo:Int64}, 'UTC')
       GROUP BY m
       UNION ALL
       SELECT ${group} AS m, count() AS c, sum(toInt128(amount)) AS t
       FROM metric_events
       WHERE client_id = {clientId:String}
         AND ((ts >= fromUnixTimestamp64Milli({headFrom:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({headTo:Int64}, 'UTC'))
           OR (ts >= fromUnixTimestamp64Milli({tailFrom:Int64}, 'UTC') AND ts < fromUnixTimestamp64Milli({tailTo:Int64}, 'UTC')))
       GROUP BY m
     )
     GROUP BY m
     HAVING count > 0
     ORDER BY m`,
    {
      params: {
        clientId: q.clientId,
        fullFrom: fullFrom / 1000,
        fullTo: fullTo / 1000,
        headFrom,
        headTo,
        tailFrom,
        tailTo,
      },
    },
  );
  const totals = parseResult(totalsRowSchema, 'metric totals', rows).map((r) => ({
    metric: q.byMetric ? r.metric : null,
    count: r.count,
    totalAmount: BigInt(r.total),
  }));
  return totals.length === 0 ? none() : totals;
}
