import { decodeRawEventRecord, stateRecordFor, type RawEventRecord } from '@shopfloor/contracts';
import {
  dedupeBatch,
  findEvictedWinners,
  type PartitionStateStore,
  type StateStoreFactory,
  type WinnerLookup,
} from '@shopfloor/dedupe';
import {
  decodeJson,
  encodeJson,
  type ConsumedMessage,
  type KafkaClient,
  type OutgoingMessage,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { PartitionOwner } from './partition-owner.ts';
import { restorePartitions, type RestoreReport } from './state-restorer.ts';

export interface DedupeRunnerOptions {
  kafka: KafkaClient;
  stores: StateStoreFactory;
  topics: { raw: string; state: string; changes: string; invalid: string };
  groupId: string;
  /** Partition count of events.raw (and so of events.state). */
  partitions: number;
  badRecordPolicy: 'dead-letter' | 'stop';
  log: Logger;
  /** How long a crashed member's partitions wait before moving (default 30 s). */
  sessionTimeoutMs?: number;
  /**
   * Bounded state: entries not received for `horizonMs` are dropped, and an event whose eventId is
   * not in the state is decided against its winner from `lookup` (ClickHouse). Off when undefined.
   */
  horizon?: { horizonMs: number; sweepIntervalMs: number; lookup: WinnerLookup };
}

export type DedupeCounters = {
  batches: number;
  records: number;
  accepted: number;
  deduped: number;
  updated: number;
  stale: number;
  invalid: number;
  /** State entries dropped past the horizon. */
  evicted: number;
  /** Winners brought back from the projection for events whose eventId had left the state. */
  found: number;
  restores: RestoreReport[];
};

export interface DedupeRunner {
  counters: DedupeCounters;
  assigned(): number[];
  stop(): Promise<void>;
}

const nextOffset = (offset: string) => (BigInt(offset) + 1n).toString();

/**
 * A member of the dedupe consumer group. Per batch of one events.raw partition, in ONE Kafka
 * transaction of that partition's producer: the new state (events.state), the projection changes
 * (events.changes) and the input offsets (sendOffsets). The local store takes the state only
 * after the commit, so an abort or a crash leaves nothing half-applied.
 */
export async function startDedupeRunner(options: DedupeRunnerOptions): Promise<DedupeRunner> {
  const { kafka, topics, groupId, log } = options;
  const counters: DedupeCounters = {
    batches: 0,
    records: 0,
    accepted: 0,
    deduped: 0,
    updated: 0,
    stale: 0,
    invalid: 0,
    evicted: 0,
    found: 0,
    restores: [],
  };
  const lastSweep = new Map<number, number>();
  // Up to this many entries are dropped per partition and batch, so a sweep never makes one
  // transaction huge.
  const MAX_EVICTIONS_PER_BATCH = 5_000;
  const horizonWork = async (partition: number, records: RawEventRecord[], store: PartitionStateStore) => {
    const h = options.horizon;
    if (!h) return {};
    const now = Date.now();
    let expire: string[] | undefined;
    if (now - (lastSweep.get(partition) ?? 0) >= h.sweepIntervalMs) {
      lastSweep.set(partition, now);
      // An id this batch decides on is kept: dropping it here would make it look new.
      const incoming = new Set(records.map((r) => r.event.eventId));
      expire = store.expired(now - h.horizonMs, MAX_EVICTIONS_PER_BATCH).filter((id) => !incoming.has(id));
    }
    const found = await findEvictedWinners(store, records, h.lookup);
    return { ...(expire ? { expire } : {}), ...(found ? { found } : {}) };
  };
  const allPartitions = Array.from({ length: options.partitions }, (_, i) => i);
  const owners = new Map<number, PartitionOwner>();
  let assignment: number[] = [];
  // Per partition, the restore that must finish before its next batch. A group join starts one
  // restore for every assigned partition; a failed transaction restarts it for its partition only.
  const restoring = new Map<number, Promise<void>>();

  const ownerOf = (partition: number) => {
    let owner = owners.get(partition);
    if (!owner) {
      owner = new PartitionOwner(
        kafka,
        `${groupId}.${topics.raw}.${partition}`,
        options.stores.open(partition),
      );
      owners.set(partition, owner);
    }
    return owner;
  };

  const consumer = kafka.consumer({
    groupId,
    readUncommitted: false,
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
    rebalanceTimeout: 60_000,
    heartbeatInterval: 3_000,
    maxWaitTimeInMs: 20,
    maxBytesPerPartition: 2 * 1024 * 1024,
  });

  consumer.on(consumer.events.GROUP_JOIN, (event) => {
    const next = event.payload.memberAssignment[topics.raw] ?? [];
    for (const [p, owner] of owners) {
      if (!next.includes(p)) {
        owners.delete(p);
        void owner.reset();
      }
    }
    assignment = [...next].sort((a, b) => a - b);
    restoring.clear();
    log.info({ partitions: assignment }, 'dedupe member joined the group');
  });

  const ensureRestored = (partition: number, heartbeat: () => Promise<void>): Promise<void> => {
    const pending = restoring.get(partition);
    if (pending) return pending;
    const wanted = [...new Set([...assignment, partition])].filter((p) => !restoring.has(p));
    const run = restorePartitions({
      kafka,
      stateTopic: topics.state,
      allPartitions,
      owners: wanted.map(ownerOf),
      log,
      heartbeat,
    }).then((reports) => {
      counters.restores.push(...reports);
    });
    for (const p of wanted) restoring.set(p, run);
    run.catch(() => {
      for (const p of wanted) if (restoring.get(p) === run) restoring.delete(p);
    });
    return run;
  };

  const decodeRecords = (messages: ConsumedMessage[]) => {
    const records: RawEventRecord[] = [];
    const invalid: OutgoingMessage[] = [];
    for (const m of messages) {
      const json = decodeJson(m.value);
      const decoded = json.ok ? decodeRawEventRecord(json.value) : json;
      if (decoded.ok) {
        records.push(decoded.value);
        continue;
      }
      const where = `${topics.raw} offset ${m.offset}`;
      if (options.badRecordPolicy === 'stop')
        throw new Error(`undecodable record at ${where}: ${decoded.error}`);
      log.warn(
        { offset: m.offset, error: decoded.error },
        'undecodable raw record sent to the invalid topic',
      );
      invalid.push({
        key: m.key,
        value: encodeJson({
          topic: topics.raw,
          offset: m.offset,
          error: decoded.error,
          value: m.value?.toString('base64'),
        }),
      });
    }
    return { records, invalid };
  };

  await consumer.connect();
  await consumer.subscribe({ topic: topics.raw, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    // Every partition has its own producer, so all can commit at once.
    partitionsConsumedConcurrently: options.partitions,
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const partition = batch.partition;
      const t0 = performance.now();
      await ensureRestored(partition, heartbeat);
      const owner = ownerOf(partition);
      const { records, invalid } = decodeRecords(batch.messages);
      const horizon = await horizonWork(partition, records, owner.store);
      const result = dedupeBatch(owner.store, records, horizon);
      const stateMessages: OutgoingMessage[] = result.stateWrites.map(([eventId, winner]) => ({
        key: eventId,
        value: winner === null ? null : encodeJson(stateRecordFor(winner)),
        partition,
      }));
      const topicMessages = [
        { topic: topics.state, messages: stateMessages },
        {
          topic: topics.changes,
          messages: result.changes.map((c) => ({ key: c.eventId, value: encodeJson(c), partition })),
        },
        { topic: topics.invalid, messages: invalid },
      ].filter((t) => t.messages.length > 0);

      const t1 = performance.now();
      const producer = await owner.producer();
      const tx = await producer.transaction();
      let checkpoint: string | undefined;
      try {
        const sent = topicMessages.length > 0 ? await tx.sendBatch({ topicMessages }) : [];
        await tx.sendOffsets({
          consumerGroupId: groupId,
          topics: [
            { topic: topics.raw, partitions: [{ partition, offset: nextOffset(batch.lastOffset()) }] },
          ],
        });
        await tx.commit();
        const stateMeta = sent.find((m) => m.topicName === topics.state && m.partition === partition);
        if (stateMeta?.baseOffset !== undefined) {
          checkpoint = (BigInt(stateMeta.baseOffset) + BigInt(stateMessages.length)).toString();
        }
      } catch (err) {
        await tx.abort().catch(() => {});
        // A fenced or broken producer is rebuilt, and the partition is restored before its next
        // batch, since another member may have written state meanwhile.
        await owner.reset();
        restoring.delete(partition);
        throw err;
      }
      result.commit(checkpoint ?? owner.store.checkpoint() ?? '0');
      log.debug(
        {
          partition,
          records: batch.messages.length,
          decideMs: t1 - t0,
          transactionMs: performance.now() - t1,
        },
        'dedupe batch committed',
      );
      resolveOffset(batch.lastOffset());
      counters.batches++;
      counters.records += batch.messages.length;
      counters.invalid += invalid.length;
      counters.evicted += horizon.expire?.length ?? 0;
      counters.found += horizon.found?.size ?? 0;
      for (const c of result.changes) counters[c.decision]++;
      await heartbeat();
    },
  });

  return {
    counters,
    assigned: () => assignment,
    async stop() {
      await consumer.disconnect();
      await Promise.all([...owners.values()].map((o) => o.reset()));
      owners.clear();
    },
  };
}
