import { rejectionReasonSchema } from '@shopfloor/contracts';
import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const REJECTED_EVENTS_TABLE = 'rejected_events';

export const rejectedEventColumns = [
  'batch_id',
  'seq',
  'event_id',
  'reason',
  'message',
  'payload',
  'received_at',
] as const;

/** A dead letter: an event that failed validation, with its payload exactly as received. */
export const rejectedEventRowSchema = z.object({
  batchId: z.string().min(1),
  seq: z.int().min(0).max(0xffff_ffff),
  eventId: z.string().nullable(),
  reason: rejectionReasonSchema,
  message: z.string(),
  /** The JSON text as received. */
  payload: z.string(),
  receivedAt: epochMsSchema,
});

export type RejectedEventRow = z.infer<typeof rejectedEventRowSchema>;

/**
 * Inserts dead letters. Without a token, ClickHouse still drops a block identical to one of the last
 * 1000 (non_replicated_deduplication_window), which is what a replay of the same records produces.
 */
export const insertRejectedEvents: TableInsert<RejectedEventRow> = tableInserter({
  table: REJECTED_EVENTS_TABLE,
  columns: rejectedEventColumns,
  schema: rejectedEventRowSchema,
  toValues: (r) => [r.batchId, r.seq, r.eventId, r.reason, r.message, r.payload, toDateTime64(r.receivedAt)],
});

const resultSchema = rejectedEventRowSchema.extend({ seq: int64Schema, receivedAt: int64Schema });

const COLUMNS = `batch_id AS batchId, seq, event_id AS eventId, toString(reason) AS reason, message, payload,
  toUnixTimestamp64Milli(received_at) AS receivedAt`;

/**
 * Dead letters, newest first, or one batch's in seq order. A (batch_id, seq) recorded twice by a
 * replay is listed once.
 */
export async function queryRejectedEvents(
  reader: ClickHouseReader,
  options: { limit: number; batchId?: string | undefined },
): Promise<RejectedEventRow[]> {
  const limit = Math.max(0, Math.min(Math.trunc(options.limit), 100_000));
  const rows =
    options.batchId === undefined
      ? await reader.query(
          `SELECT ${COLUMNS} FROM rejected_events
           ORDER BY received_at DESC, batch_id, seq
           LIMIT 1 BY batch_id, seq
           LIMIT {limit:UInt32}`,
          { params: { limit } },
        )
      : await reader.query(
          `SELECT ${COLUMNS} FROM rejected_events
           WHERE batch_id = {batchId:String}
           ORDER BY seq
           LIMIT 1 BY seq
           LIMIT {limit:UInt32}`,
          { params: { limit, batchId: options.batchId } },
        );
  return parseResult(resultSchema, 'rejected events', rows);
}
