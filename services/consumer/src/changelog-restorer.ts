import { randomUUID } from 'node:crypto';
import type { PartitionStateStore, StateValue, StateWrite } from '@shopfloor/dedupe';
import { type KafkaClient, type RecordCodec, readPartitions } from '@shopfloor/kafka';
import type { Logger } from 'pino';
import type { PartitionOwner } from './partition-owner.ts';
import { RESTORE_MARKER_KEY, type RestoreReport } from './state-restorer.ts';

/**
 * `restorePartitions` of the events pipeline, generic over the state's value: for any stream whose
 * state is a key → value store with a changelog checkpoint (`PartitionStateStore<V>`). Each owner
 * commits a marker through its own transactional producer (fencing zombies, and giving an exact end
 * to read to), then the changelog is read from the store's checkpoint (0 without one) up to the
 * marker. A checkpoint past the marker (the topic was re-created under the store) is not trusted:
 * that partition restores from 0. A null value is a tombstone and never reaches the codec.
 */
export async function restoreFromChangelog<R, V extends StateValue>(input: {
  kafka: KafkaClient;
  stateTopic: string;
  stateCodec: RecordCodec<R>;
  /** The store's value of a decoded changelog record. */
  toState: (record: R) => V;
  allPartitions: number[];
  owners: PartitionOwner<PartitionStateStore<V>>[];
  log: Logger;
  heartbeat?: () => Promise<void>;
}): Promise<RestoreReport[]> {
  const { owners, log } = input;
  const started = Date.now();
  const markers = new Map<number, string>();
  const from = new Map<number, string>();
  await Promise.all(
    owners.map(async (owner) => {
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
      let checkpoint = owner.store.checkpoint();
      if (checkpoint !== undefined && BigInt(checkpoint) > BigInt(markers.get(owner.partition) ?? '0')) {
        log.warn(
          { partition: owner.partition, checkpoint },
          'local state is ahead of its changelog; restoring from 0',
        );
        checkpoint = undefined;
      }
      if (checkpoint === undefined) owner.store.clear();
      from.set(owner.partition, checkpoint ?? '0');
    }),
  );
  const byPartition = new Map(owners.map((o) => [o.partition, o.store]));
  const counts = new Map<number, number>();
  await readPartitions(input.kafka, {
    topic: input.stateTopic,
    from,
    allPartitions: input.allPartitions,
    isLast: (p, m) => BigInt(m.offset) >= BigInt(markers.get(p) ?? '0'),
    onMessages: async (p, messages, next) => {
      const writes: StateWrite<V>[] = [];
      for (const m of messages) {
        const key = m.key?.toString('utf8');
        if (!key || key === RESTORE_MARKER_KEY) continue;
        if (m.value === null) {
          writes.push([key, null]);
          continue;
        }
        const decoded = await input.stateCodec.decode(m.value);
        if (!decoded.ok) throw new Error(`${input.stateTopic} p${p} offset ${m.offset}: ${decoded.error}`);
        writes.push([key, input.toState(decoded.value)]);
      }
      byPartition.get(p)?.apply(writes, next);
      counts.set(p, (counts.get(p) ?? 0) + writes.length);
    },
    ...(input.heartbeat ? { onIdle: input.heartbeat } : {}),
  });
  const ms = Date.now() - started;
  const reports = owners.map((o) => ({
    partition: o.partition,
    from: from.get(o.partition) ?? '0',
    to: o.store.checkpoint() ?? '0',
    records: counts.get(o.partition) ?? 0,
    ms,
  }));
  for (const r of reports)
    log.info(r, `restored ${input.stateTopic} partition ${r.partition} from offset ${r.from}`);
  return reports;
}
