import type { StepResult } from '@shopfloor/contracts';
import {
  type AppliedGroup,
  type GroupToApply,
  partitionKey,
  type RangeGroup,
} from '@shopfloor/group-projector';
import { type ConsumedMessage, type KafkaClient, readPartitions } from '@shopfloor/kafka';

/**
 * Records per insert: statements of the embedded engine run one at a time, so a bounded insert
 * bounds how long a query waits behind the rebuild.
 */
export const REBUILD_CHUNK_RECORDS = 5_000;
/**
 * Bytes per insert as well: a record of events.change-batches holds a whole dedupe transaction's
 * decisions (~100 bytes each), so the record count alone does not bound an insert.
 */
export const REBUILD_CHUNK_BYTES = 512 * 1024;

/**
 * The rebuild's groups all carry marker time 0 (live groups carry a real time, so their tokens never
 * meet): a chunk's tokens are `g0|<topic>:<partition>:<min>-<max>:<suffix>`, and a retried insert of
 * a chunk is dropped by ClickHouse like a replayed live group.
 */
const REBUILD_MARKER_AT = 0;

export type CopyRangeOptions = {
  topic: string;
  /** Every partition of the topic. */
  partitions: readonly number[];
  /** Per partition key, the last offset already copied (-1: none) — updated as chunks land. */
  copied: Map<string, bigint>;
  /** Per partition key, the last offset to copy (inclusive). */
  target: ReadonlyMap<string, bigint>;
  applyGroup: (input: GroupToApply) => Promise<StepResult<AppliedGroup>>;
  onChunk: (records: number, positions: number) => void;
  signal: AbortSignal;
  /** Records per insert (default REBUILD_CHUNK_RECORDS). */
  chunkRecords?: number;
  timeoutMs?: number;
};

const noHeartbeat = async () => {};

/**
 * Re-projects records (copied, target] of every partition of one topic through the projector's
 * apply step (its decode, projection and tokens), in chunks of one partition.
 */
export async function copyRange(kafka: KafkaClient, options: CopyRangeOptions): Promise<void> {
  const { topic, copied, target } = options;
  const from = new Map<number, string>();
  for (const partition of options.partitions) {
    const key = partitionKey(topic, partition);
    const start = (copied.get(key) ?? -1n) + 1n;
    if ((target.get(key) ?? -1n) >= start) from.set(partition, start.toString());
  }
  if (from.size === 0) return;
  const last = (partition: number) => target.get(partitionKey(topic, partition)) ?? -1n;
  await readPartitions(kafka, {
    topic,
    from,
    allPartitions: options.partitions,
    isLast: (partition, m) => BigInt(m.offset) >= last(partition),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
    onMessages: async (partition, messages) => {
      const key = partitionKey(topic, partition);
      const size = options.chunkRecords ?? REBUILD_CHUNK_RECORDS;
      for (let i = 0; i < messages.length; ) {
        options.signal.throwIfAborted();
        const before = copied.get(key) ?? -1n;
        const end = chunkEnd(messages, i, size, REBUILD_CHUNK_BYTES);
        const chunk = messages
          .slice(i, end)
          .filter((m) => BigInt(m.offset) > before && BigInt(m.offset) <= last(partition));
        i = end;
        if (chunk.length === 0) continue;
        const result = await options.applyGroup({
          group: chunkGroup(topic, partition, chunk),
          heartbeat: noHeartbeat,
        });
        if (result.kind !== 'ok')
          throw new Error(`rebuild stopped at ${topic}[${partition}]: ${result.reason}`);
        const max = BigInt(chunk.at(-1)!.offset);
        copied.set(key, max);
        options.onChunk(result.value.records ?? chunk.length, Number(max - before));
      }
    },
  });
}

/** The end (exclusive) of the chunk from `start`: at most `records` records, and `bytes` unless one record is more. */
function chunkEnd(
  messages: readonly ConsumedMessage[],
  start: number,
  records: number,
  bytes: number,
): number {
  let end = start;
  let total = 0;
  while (end < messages.length && end - start < records) {
    total += messages[end]!.value?.length ?? 0;
    if (total > bytes && end > start) break;
    end++;
  }
  return end;
}

function chunkGroup(topic: string, partition: number, messages: ConsumedMessage[]): RangeGroup {
  const range = {
    topic,
    partition,
    min: BigInt(messages[0]!.offset),
    max: BigInt(messages.at(-1)!.offset),
    messages,
  };
  return { markerAt: REBUILD_MARKER_AT, ranges: new Map([[partitionKey(topic, partition), range]]) };
}
