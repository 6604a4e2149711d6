import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult } from './rows.ts';
import { epochMsSchema, int64Schema } from './time.ts';

// A posted batch (machine events, sensor readings) records one outcome row per item: the key is
// (batch_id, seq), so a replayed outcome collapses to one row. The tables differ only in the item
// id column and the decisions.

/** The row fields every batch outcome table has besides the item id and the decision. */
export const batchOutcomeFields = {
  batchId: z.string().min(1),
  seq: z.int().min(0).max(0xffff_ffff),
  batchSize: z.int().min(1).max(0xffff_ffff),
  reason: z.string().default(''),
  recordedAt: epochMsSchema,
};

/** What is recorded about one batch. `batchSize` is null while nothing is recorded. */
export type BatchOutcomeCounts<Decision extends string, Reason> = {
  batchSize: number | null;
  recorded: number;
  counts: Record<Decision, number>;
  /** The rejected items by seq: [seq, item id, reason]. */
  rejections: [number, string | null, Reason][];
};

/** Counts per decision and the rejections of one batch, in one statement. */
export async function queryBatchOutcomeCounts<Decision extends string, Reason>(
  reader: ClickHouseReader,
  table: { name: string; itemIdColumn: string; decisions: readonly Decision[]; reason: z.ZodType<Reason> },
  batchId: string,
): Promise<BatchOutcomeCounts<Decision, Reason>> {
  const perDecision = table.decisions.map((d) => `countIf(decision = '${d}') AS ${d},`).join('\n       ');
  const rows = await reader.query(
    `SELECT
       max(batch_size) AS batchSize,
       count() AS recorded,
       ${perDecision}
       arraySort(x -> x.1, groupArrayIf((seq, ${table.itemIdColumn}, toString(reason)), decision = 'rejected')) AS rejections
     FROM ${table.name} FINAL
     WHERE batch_id = {batchId:String}`,
    { params: { batchId } },
  );
  const schema = z.object({
    batchSize: int64Schema,
    recorded: int64Schema,
    rejections: z.array(z.tuple([z.coerce.number(), z.string().nullable(), table.reason])),
    ...Object.fromEntries(table.decisions.map((d) => [d, int64Schema])),
  });
  const [row] = parseResult(schema, `${table.name} outcome`, rows) as (z.infer<typeof schema> &
    Record<Decision, number>)[];
  const recorded = row?.recorded ?? 0;
  return {
    batchSize: row && recorded > 0 ? row.batchSize : null,
    recorded,
    counts: Object.fromEntries(table.decisions.map((d) => [d, row?.[d] ?? 0])) as Record<Decision, number>,
    rejections: (row?.rejections ?? []) as [number, string | null, Reason][],
  };
}
