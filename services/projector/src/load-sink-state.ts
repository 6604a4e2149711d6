import { type ClickHouseReader, readSinkOffsets } from '@shopfloor/clickhouse';
import type { KafkaClient } from '@shopfloor/kafka';
import { type CommittedOffset, recoverSinkState } from './sink-recovery.ts';
import type { SinkState } from './sink-state.ts';

/** Reads what recovery needs (sink_offsets and the group's committed offsets) and recovers from it. */
export async function loadSinkState(
  reader: ClickHouseReader,
  kafka: KafkaClient,
  options: { groupId: string; topics: readonly string[] },
): Promise<SinkState> {
  const markers = [];
  for (const topic of options.topics) markers.push(...(await readSinkOffsets(reader, topic)));
  const admin = kafka.admin();
  await admin.connect();
  let committed: CommittedOffset[];
  try {
    const offsets = await admin.fetchOffsets({ groupId: options.groupId, topics: [...options.topics] });
    committed = offsets.flatMap(({ topic, partitions }) =>
      partitions.map((p) => ({ topic, partition: p.partition, offset: BigInt(p.offset) })),
    );
  } finally {
    await admin.disconnect();
  }
  return recoverSinkState(markers, committed);
}
