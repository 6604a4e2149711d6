import { z } from 'zod';
import type { ClickHouseReader } from './client.ts';
import { parseResult, type TableInsert, tableInserter } from './rows.ts';
import { epochMsSchema, int64Schema, toDateTime64 } from './time.ts';

export const SINK_OFFSETS_TABLE = 'sink_offsets';

export const sinkOffsetColumns = ['topic', 'partition', 'min_offset', 'max_offset', 'updated_at'] as const;

/**
 * The projector's marker for one topic partition, after the ClickHouse Kafka Connect sink's
 * exactly-once design: the group insert with marker time `updatedAt` holds offsets [min, max] of
 * this partition. The projector writes the markers of a group before inserting it and nothing
 * after: the committed Kafka offsets tell whether the insert landed. The latest marker (by
 * updated_at, then insertion order) wins.
 */
export const sinkOffsetRowSchema = z.object({
  topic: z.string().min(1),
  partition: z.int().min(0).max(0xffff_ffff),
  minOffset: z.int().min(0),
  maxOffset: z.int().min(0),
  updatedAt: epochMsSchema,
});

export type SinkOffsetRow = z.infer<typeof sinkOffsetRowSchema>;

/**
 * Records the markers of several partitions in one insert (one block: all or none land). The
 * table has no deduplication window, so a token never drops a marker; passing the same settings as
 * the data inserts only spares the embedded engine a `SET … = DEFAULT` statement between them.
 */
export const writeSinkOffsets: TableInsert<SinkOffsetRow> = tableInserter({
  table: SINK_OFFSETS_TABLE,
  columns: sinkOffsetColumns,
  schema: sinkOffsetRowSchema,
  toValues: (r) => [r.topic, r.partition, r.minOffset, r.maxOffset, toDateTime64(r.updatedAt)],
});

const resultSchema = sinkOffsetRowSchema.extend({
  partition: int64Schema,
  minOffset: int64Schema,
  maxOffset: int64Schema,
  updatedAt: int64Schema,
});

/** The current marker of every partition of `topic`, by partition. */
export function readSinkOffsets(reader: ClickHouseReader, topic: string): Promise<SinkOffsetRow[]> {
  return querySinkOffsets(reader, topic);
}

/** The current marker of every partition of every topic, by topic and partition. */
export function readAllSinkOffsets(reader: ClickHouseReader): Promise<SinkOffsetRow[]> {
  return querySinkOffsets(reader, undefined);
}

async function querySinkOffsets(
  reader: ClickHouseReader,
  topic: string | undefined,
): Promise<SinkOffsetRow[]> {
  const rows = await reader.query(
    `SELECT toString(topic) AS topic, partition, min_offset AS minOffset, max_offset AS maxOffset,
            toUnixTimestamp64Milli(updated_at) AS updatedAt
     FROM sink_offsets FINAL
     ${topic === undefined ? '' : 'WHERE topic = {topic:String}'}
     ORDER BY topic, partition`,
    topic === undefined ? {} : { params: { topic } },
  );
  return parseResult(resultSchema, 'sink offsets', rows);
}
