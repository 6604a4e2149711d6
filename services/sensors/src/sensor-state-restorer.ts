import { randomUUID } from 'node:crypto';
import { type PartitionOwner, RESTORE_MARKER_KEY, type RestoreReport } from '@shopfloor/consumer';
import { type KafkaClient, type RecordCodec, readPartitions } from '@shopfloor/kafka';
import type { SensorStateRecord } from '@shopfloor/sensors';
import type { Logger } from 'pino';
import type { SensorPartitionState } from './sensor-partition-state.ts';

/**
 * Rebuilds the processors of newly assigned partitions from the compacted state changelog before
 * any reading of theirs is processed. As in the events pipeline, each owner first commits a marker
 * through its own transactional producer (fencing zombies of the partition, and giving an exact end
 * to read to); the whole compacted partition is then read up to the marker.
 */
export async function restoreSensorPartitions(input: {
  kafka: KafkaClient;
  stateTopic: string;
  stateCodec: RecordCodec<SensorStateRecord>;
  allPartitions: number[];
  owners: PartitionOwner<SensorPartitionState>[];
  log: Logger;
  heartbeat?: () => Promise<void>;
}): Promise<RestoreReport[]> {
  const started = Date.now();
  const markers = new Map<number, string>();
  await Promise.all(
    input.owners.map(async (owner) => {
      const tx = await (await owner.producer()).transaction();
      try {
        const [meta] = await tx.send({
          topic: input.stateTopic,
          messages: [{ key: RESTORE_MARKER_KEY, value: randomUUID(), partition: owner.partition }],
        });
        await tx.commit();
        markers.set(owner.partition, meta?.baseOffset ?? '0');
      } catch (err) {
        await tx.abort().catch(() => {});
        await owner.reset();
        throw err;
      }
      owner.store.clear();
    }),
  );
  const byPartition = new Map(input.owners.map((o) => [o.partition, o.store]));
  const counts = new Map<number, number>();
  await readPartitions(input.kafka, {
    topic: input.stateTopic,
    from: new Map(input.owners.map((o) => [o.partition, '0'])),
    allPartitions: input.allPartitions,
    isLast: (p, m) => BigInt(m.offset) >= BigInt(markers.get(p) ?? '0'),
    onMessages: async (p, messages) => {
      const state = byPartition.get(p);
      if (state === undefined) return;
      for (const m of messages) {
        const key = m.key?.toString('utf8');
        if (!key || key === RESTORE_MARKER_KEY || m.value === null) continue;
        const decoded = await input.stateCodec.decode(m.value);
        if (!decoded.ok) throw new Error(`${input.stateTopic} p${p} offset ${m.offset}: ${decoded.error}`);
        state.processor.restore({ key, value: decoded.value });
        counts.set(p, (counts.get(p) ?? 0) + 1);
      }
    },
    ...(input.heartbeat ? { onIdle: input.heartbeat } : {}),
  });
  const reports = input.owners.map((o) => ({
    partition: o.partition,
    from: '0',
    to: markers.get(o.partition) ?? '0',
    records: counts.get(o.partition) ?? 0,
    ms: Date.now() - started,
  }));
  for (const r of reports) input.log.info(r, `restored sensor state of partition ${r.partition}`);
  return reports;
}
