import { type ClickHouseReader, readSinkOffsets, type SinkOffsetRow } from '@shopfloor/clickhouse';
import { type KafkaClient, retryWithJitter } from '@shopfloor/kafka';
import { type CommittedOffset, recoverSinkState } from './sink-recovery.ts';
import type { SinkState } from './sink-state.ts';

/** Reads what recovery needs (sink_offsets and the group's committed offsets) and recovers from it. */
export async function loadSinkState(
  reader: ClickHouseReader,
  kafka: KafkaClient,
  options: { groupId: string; topics: readonly string[] },
): Promise<SinkState> {
  const markers: SinkOffsetRow[] = [];
  for (const topic of options.topics) markers.push(...(await readSinkOffsets(reader, topic)));
  // Without a recorded group there is nothing the committed offsets could tell.
  const committed = markers.length === 0 ? [] : await fetchCommitted(kafka, options);
  return recoverSinkState(markers, committed);
}

/** The group's committed offsets, retried while the broker is not ready (a coordinator moving, say). */
async function fetchCommitted(
  kafka: KafkaClient,
  options: { groupId: string; topics: readonly string[] },
): Promise<CommittedOffset[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const offsets = await retryWithJitter(() =>
      admin.fetchOffsets({ groupId: options.groupId, topics: [...options.topics] }),
    );
    return offsets.flatMap(({ topic, partitions }) =>
      partitions.map((p) => ({ topic, partition: p.partition, offset: BigInt(p.offset) })),
    );
  } finally {
    await admin.disconnect();
  }
}
