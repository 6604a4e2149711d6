import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { type ClientWindowPageQuery, clientWindowPage } from './client-window-page.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const METRIC_FAILED_EVENTS_TABLE = 'metric_failed_events';

export const metricFailedEventColumns = [
  'request_id',
  'seq',
  'received_at',
  'id',
  'client_id',
  'reason',
  'message',
  'payload_json',
] as const;

/** One failed metric event: rejected at the API, failed in processing, or undecodable. */
export const metricFailedEventRowSchema = z.object({
  requestId: z.string().min(1),
  seq: z.int().min(0),
  receivedAt: epochMsSchema,
  id: z.string().nullable(),
  clientId: z.string().nullable(),
  reason: z.string().min(1),
  message: z.string(),
  payloadJson: z.string(),
});
export type MetricFailedEventRow = z.infer<typeof metricFailedEventRowSchema>;

export const insertMetricFailedEvents: TableInsert<MetricFailedEventRow> = tableInserter({
  table: METRIC_FAILED_EVENTS_TABLE,
  columns: metricFailedEventColumns,
  schema: metricFailedEventRowSchema,
  toValues: (r) => [
    r.requestId,
    r.seq,
    toDateTime64(r.receivedAt),
    r.id,
    r.clientId,
    r.reason,
    r.message,
    r.payloadJson,
  ],
});

/** Keyset position in the newest-first listing: the last row of the page. */
export type MetricFailedCursor = { receivedAt: number; requestId: string; seq: number };

const failedRowSchema = metricFailedEventRowSchema.extend({ seq: int64Schema, receivedAt: int64Schema });

/**
 * Failed events, newest received first (ties by request id and seq, descending), filtered by
 * client_id and a [from, to) window on the receive time (a rejected event may have no valid
 * timestamp of its own).
 */
export async function queryMetricFailedPage(
  reader: ClickHouseReader,
  q: ClientWindowPageQuery<MetricFailedCursor>,
): Promise<MetricFailedEventRow[]> {
  const page = clientWindowPage('received_at', q);
  const rows = await reader.query(
    `SELECT request_id AS requestId, seq, toUnixTimestamp64Milli(received_at) AS receivedAt, id,
            client_id AS clientId, toString(reason) AS reason, message, payload_json AS payloadJson
     FROM metric_failed_events FINAL
     WHERE ${page.where}
       AND ({first:UInt8} = 1 OR (received_at, request_id, seq) <
            (fromUnixTimestamp64Milli({afterTs:Int64}, 'UTC'), {afterRequest:String}, {afterSeq:UInt32}))
     ORDER BY received_at DESC, request_id DESC, seq DESC
     LIMIT {limit:UInt32}`,
    {
      params: {
        ...page.params,
        afterTs: q.after?.receivedAt ?? 0,
        afterRequest: q.after?.requestId ?? '',
        afterSeq: q.after?.seq ?? 0,
      },
    },
  );
  return parseResult(failedRowSchema, 'metric failed events page', rows);
}
