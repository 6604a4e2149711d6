/**
 * The most rows one insert statement of the readings lane's bulk tables (`sensor_readings`,
 * `sensor_batch_readings`) carries. The embedded engine runs one statement at a time, so this bounds
 * how long an alert or a query waits behind a bulk insert in flight (issue 12; DESIGN.md: "insert
 * chunks bound query latency"): ~30 ms fixed + ~15 us a row measured with chdb 3.4, and a group of a
 * catching-up projector reached 12 659 rows. Groups at a steady 10 000 readings/s stay below it.
 *
 * Part of the dedup tokens of recorded groups (a re-formed group must cut the same chunks to insert
 * nothing twice): never change it without the upgrade note of services/sensors/README.md.
 */
export const SENSOR_ROWS_PER_INSERT = 2000;

export type InsertChunk<Row> = { rows: readonly Row[]; dedupToken: string };

/**
 * `rows` cut into statements of at most `size` rows, in order. A group that fits one statement keeps
 * the table's token unchanged (what the groups recorded before chunking carry); chunk i of a larger
 * one gets `<token>:c<i>`, so a replay of the same recorded group deduplicates chunk by chunk.
 */
export function insertChunks<Row>(
  rows: readonly Row[],
  dedupToken: string,
  size: number = SENSOR_ROWS_PER_INSERT,
): InsertChunk<Row>[] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`rows per insert must be >= 1, got ${size}`);
  if (rows.length <= size) return rows.length === 0 ? [] : [{ rows, dedupToken }];
  const chunks: InsertChunk<Row>[] = [];
  for (let start = 0, i = 0; start < rows.length; start += size, i++)
    chunks.push({ rows: rows.slice(start, start + size), dedupToken: `${dedupToken}:c${i}` });
  return chunks;
}
