import { BATCH_ITEM_KINDS, type RecordedBatch, rejectionReasonSchema } from '@shopfloor/contracts';
import { z } from 'zod';
import { batchOutcomeFields, queryBatchOutcomeCounts } from './batch-outcome-table.ts';
import type { ClickHouseReader } from './client.ts';
import { type TableInsert, tableInserter } from './rows.ts';
import { toDateTime64 } from './time.ts';

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
  ...batchOutcomeFields,
  eventId: z.string().nullable(),
  decision: z.enum(BATCH_ITEM_KINDS),
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

/** What is recorded about one batch: counts per decision and the rejections (one statement). */
export async function queryRecordedBatch(reader: ClickHouseReader, batchId: string): Promise<RecordedBatch> {
  const { batchSize, recorded, counts, rejections } = await queryBatchOutcomeCounts(
    reader,
    {
      name: BATCH_EVENTS_TABLE,
      itemIdColumn: 'event_id',
      decisions: BATCH_ITEM_KINDS,
      reason: rejectionReasonSchema,
    },
    batchId,
  );
  return {
    batchId,
    batchSize,
    recorded,
    counts,
    rejections: rejections.map(([seq, eventId, reason]) => ({ seq, eventId, reason })),
  };
}
