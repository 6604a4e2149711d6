import { BATCH_ITEM_KINDS, type RecordedBatch, rejectionReasonSchema } from '@shopfloor/contracts';
import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const BATCH_EVENTS_TABLE = 'batch_events';

export const batchEventColumns = [
  'batch_id',
  'seq',
  'batch_size',
  'event_id',
  'decision',
  'reason',
  'recorded_at',
] as const;

/** The outcome of one event (position `seq`) of a posted batch. */
export const batchEventRowSchema = z.object({
  batchId: z.string().min(1),
  seq: z.int().min(0).max(0xffff_ffff),
  batchSize: z.int().min(1).max(0xffff_ffff),
  eventId: z.string().nullable(),
  decision: z.enum(BATCH_ITEM_KINDS),
  reason: z.string().default(''),
  recordedAt: epochMsSchema,
});

export type BatchEventRow = z.input<typeof batchEventRowSchema>;

/** Inserts outcomes. (batch_id, seq) is the key: a replayed outcome collapses to one row. */
export const insertBatchEvents: TableInsert<BatchEventRow> = tableInserter({
  table: BATCH_EVENTS_TABLE,
  columns: batchEventColumns,
  schema: batchEventRowSchema,
  toValues: (r) => [
    r.batchId,
    r.seq,
    r.batchSize,
    r.eventId,
    r.decision,
    r.reason,
    toDateTime64(r.recordedAt),
  ],
});

const outcomeSchema = z.object({
  batchSize: int64Schema,
  recorded: int64Schema,
  accepted: int64Schema,
  deduped: int64Schema,
  updated: int64Schema,
  stale: int64Schema,
  rejected: int64Schema,
  rejections: z.array(z.tuple([z.coerce.number(), z.string().nullable(), rejectionReasonSchema])),
});

/** What is recorded about one batch: counts per decision and the rejections (one statement). */
export async function queryRecordedBatch(reader: ClickHouseReader, batchId: string): Promise<RecordedBatch> {
  const rows = await reader.query(
    `SELECT
       max(batch_size) AS batchSize,
       count() AS recorded,
       countIf(decision = 'accepted') AS accepted,
       countIf(decision = 'deduped') AS deduped,
       countIf(decision = 'updated') AS updated,
       countIf(decision = 'stale') AS stale,
       countIf(decision = 'rejected') AS rejected,
       arraySort(x -> x.1, groupArrayIf((seq, event_id, toString(reason)), decision = 'rejected')) AS rejections
     FROM batch_events FINAL
     WHERE batch_id = {batchId:String}`,
    { params: { batchId } },
  );
  const [row] = parseResult(outcomeSchema, 'batch outcome', rows);
  const recorded = row?.recorded ?? 0;
  const batchSize = row && recorded > 0 ? row.batchSize : null;
  return {
    batchId,
    batchSize,
    recorded,
    counts: {
      accepted: row?.accepted ?? 0,
      deduped: row?.deduped ?? 0,
      updated: row?.updated ?? 0,
      stale: row?.stale ?? 0,
      rejected: row?.rejected ?? 0,
    },
    rejections: (row?.rejections ?? []).map(([seq, eventId, reason]) => ({ seq, eventId, reason })),
  };
}
