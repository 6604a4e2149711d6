import { randomUUID } from 'node:crypto';
import { type StateRecord, winnerOf } from '@shopfloor/contracts';
import type { StateWrite } from '@shopfloor/dedupe';
import { type KafkaClient, type RecordCodec, readPartitions } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { PartitionOwner } from './partition-owner.ts';

/** Key of the marker a member writes to a state partition to learn where that partition ends. */
export const RESTORE_MARKER_KEY = '\u0000shopfloor.restore-marker';

export type RestoreReport = {
  partition: number;
  /** Changelog offset the restore started at: '0' for a full restore, else the local checkpoint. */
  from: string;
  to: string;
  records: number;
  ms: number;
};

/**
 * Brings the state stores of newly assigned partitions up to date from events.state before any
 * decision is made on them (Kafka Streams' StoreChangelogReader). Each owner first writes a marker
 * record in a transaction of its own producer: that fences zombies of the partition and gives an
 * exact end to read to, whatever transaction markers or compaction did to the offsets. A store
 * with a usable local checkpoint resumes from it; one without starts at offset 0. Values are read
 * through the state codec; a null value is a tombstone (the eventId has no state) and never
 * reaches the codec.
 */
export async function restorePartitions(input: {
  kafka: KafkaClient;
  stateTopic: string;
  stateCodec: RecordCodec<StateRecord>;
  allPartitions: number[];
  owners: PartitionOwner[];
  log: Logger;
  heartbeat?: () => Promise<void>;
}): Promise<RestoreReport[]> {
  const { owners, log } = input;
  const started = Date.now();
  const markers = new Map<number, string>();
  const from = new Map<number, string>();
  await Promise.all(
    owners.map(async (owner) => {
      const producer = await owner.producer();
      const tx = await producer.transaction();
      try {
        const [meta] = await tx.send({
          topic: input.stateTopic,
          messages: [{ key: RESTORE_MARKER_KEY, value: randomUUID(), partition: owner.partition }],
        });
        await tx.commit();
        markers.set(owner.partition, meta!.baseOffset!);
      } catch (err) {
        await tx.abort().catch(() => {});
        await owner.reset();
        throw err;
      }
      const checkpoint = owner.store.checkpoint();
      if (checkpoint === undefined) owner.store.clear();
      from.set(owner.partition, checkpoint ?? '0');
    }),
  );
  const byPartition = new Map(owners.map((o) => [o.partition, o]));
  const counts = new Map<number, number>();
  await readPartitions(input.kafka, {
    topic: input.stateTopic,
    from,
    allPartitions: input.allPartitions,
    isLast: (p, m) => BigInt(m.offset) >= BigInt(markers.get(p)!),
    onMessages: async (p, messages, next) => {
      const writes: StateWrite[] = [];
      for (const m of messages) {
        const key = m.key?.toString('utf8');
        if (!key || key === RESTORE_MARKER_KEY) continue;
        if (m.value === null) {
          writes.push([key, null]);
          continue;
        }
        const decoded = await input.stateCodec.decode(m.value);
        if (!decoded.ok) throw new Error(`${input.stateTopic} p${p} offset ${m.offset}: ${decoded.error}`);
        writes.push([key, winnerOf(decoded.value)]);
      }
      byPartition.get(p)!.store.apply(writes, next);
      counts.set(p, (counts.get(p) ?? 0) + writes.length);
    },
    ...(input.heartbeat ? { onIdle: input.heartbeat } : {}),
  });
  const ms = Date.now() - started;
  const reports = owners.map((o) => ({
    partition: o.partition,
    from: from.get(o.partition)!,
    to: o.store.checkpoint()!,
    records: counts.get(o.partition) ?? 0,
    ms,
  }));
  for (const r of reports) log.info(r, `restored state of partition ${r.partition} from offset ${r.from}`);
  return reports;
}
