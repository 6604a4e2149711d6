import { z } from 'zod';
import type { ClickHouseReader, ClickHouseWriter } from './client.ts';
import { dedupSettings, parseResult, parseRows } from './rows.ts';
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

export async function insertMetricFailedEvents(
  writer: ClickHouseWriter,
  rows: readonly MetricFailedEventRow[],
  options: { dedupToken?: string } = {},
): Promise<void> {
  const valid = parseRows(metricFailedEventRowSchema, METRIC_FAILED_EVENTS_TABLE, rows);
  if (valid.length === 0) return;
  await writer.insert({
    table: METRIC_FAILED_EVENTS_TABLE,
    columns: metricFailedEventColumns,
    format: 'JSONCompactEachRow',
    values: valid.map((r) => [
      r.requestId,
      r.seq,
      toDateTime64(r.receivedAt),
      r.id,
      r.clientId,
      r.reason,
      r.message,
      r.payloadJson,
    ]),
    ...(options.dedupToken === undefined ? {} : { settings: dedupSettings(options.dedupToken) }),
  });
}

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
  q: {
    clientId?: string | undefined;
    fromMs?: number | undefined;
    toMs?: number | undefined;
    after?: MetricFailedCursor | undefined;
    limit: number;
  },
): Promise<MetricFailedEventRow[]> {
  const rows = await reader.query(
    `SELECT request_id AS requestId, seq, toUnixTimestamp64Milli(received_at) AS receivedAt, id,
            client_id AS clientId, toString(reason) AS reason, message, payload_json AS payloadJson
     FROM metric_failed_events FINAL
     WHERE ({anyClient:UInt8} = 1 OR client_id = {clientId:String})
       AND received_at >= fromUnixTimestamp64Milli({from:Int64}, 'UTC')
       AND received_at < fromUnixTimestamp64Milli({to:Int64}, 'UTC')
       AND ({first:UInt8} = 1 OR (received_at, request_id, seq) <
            (fromUnixTimestamp64Milli({afterTs:Int64}, 'UTC'), {afterRequest:String}, {afterSeq:UInt32}))
     ORDER BY received_at DESC, request_id DESC, seq DESC
     LIMIT {limit:UInt32}`,
    {
      params: {
        anyClient: q.clientId === undefined ? 1 : 0,
        clientId: q.clientId ?? '',
        from: q.fromMs ?? Date.UTC(1900, 0, 1),
        to: q.toMs ?? Date.UTC(2300, 0, 1),
        first: q.after === undefined ? 1 : 0,
        afterTs: q.after?.receivedAt ?? 0,
        afterRequest: q.after?.requestId ?? '',
        afterSeq: q.after?.seq ?? 0,
        limit: q.limit,
      },
    },
  );
  return parseResult(failedRowSchema, 'metric failed events page', rows);
}
