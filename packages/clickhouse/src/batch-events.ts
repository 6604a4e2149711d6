import { BATCH_ITEM_KINDS, type RecordedBatch, rejectionReasonSchema } from '@shopfloor/contracts';
import { z } from 'zod';
import { batchOutcomeFields, queryBatchOutcomeCounts } from './batch-outcome-table.ts';
import type { ClickHouseReader, ClickHouseWriter } from './client.ts';
import { dedupSettings, parseRows } from './rows.ts';
import { escapeNullableTabSeparated, escapeTabSeparated } from './tab-separated.ts';
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

/**
 * Inserts outcomes, one TabSeparated insert (one block). (batch_id, seq) is the key: a replayed
 * outcome collapses to one row. Rows are checked against `batchEventRowSchema` first unless
 * `validate: false` (the projector's rows come from records its codecs already decoded).
 */
export async function insertBatchEvents(
  writer: ClickHouseWriter,
  rows: readonly BatchEventRow[],
  options: { dedupToken?: string; validate?: boolean } = {},
): Promise<void> {
  const valid = options.validate === false ? rows : parseRows(batchEventRowSchema, BATCH_EVENTS_TABLE, rows);
  if (valid.length === 0) return;
  await writer.insert({
    table: BATCH_EVENTS_TABLE,
    columns: batchEventColumns,
    format: 'TabSeparated',
    values: encodeBatchEventsTabSeparated(valid),
    ...(options.dedupToken === undefined ? {} : { settings: dedupSettings(options.dedupToken) }),
  });
}

/** Outcome rows as a TabSeparated body, columns in `batchEventColumns` order. */
export function encodeBatchEventsTabSeparated(rows: readonly BatchEventRow[]): string {
  let out = '';
  for (const r of rows) {
    out += `${escapeTabSeparated(r.batchId)}\t${r.seq}\t${r.batchSize}\t${escapeNullableTabSeparated(r.eventId)}\t${escapeTabSeparated(r.decision)}\t${escapeTabSeparated(r.reason ?? '')}\t${toDateTime64(r.recordedAt)}\n`;
  }
  return out;
}

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
