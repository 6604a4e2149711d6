import {
  insertBatchEvents,
  insertEventChanges,
  insertRejectedEvents,
  readSinkOffsets,
  writeSinkOffset,
  type ClickHouseWriter,
} from '@shopfloor/clickhouse';
import type { OutcomeRecord } from '@shopfloor/contracts';
import {
  createIdempotentProducer,
  encodeJson,
  type ConsumedMessage,
  type KafkaClient,
} from '@shopfloor/kafka';
import type { Logger } from 'pino';
import { projectChanges, projectDeadLetters, type ProjectionBatch } from './projection-batch.ts';

export interface ProjectorOptions {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  topics: { changes: string; deadLetter: string; outcomes: string };
  groupId: string;
  log: Logger;
  /** Called after a range is visible in ClickHouse (the standalone process wakes waiters with it). */
  onOutcomes?: (outcomes: OutcomeRecord[]) => void;
}

export type ProjectorCounters = { ranges: number; records: number; replays: number; changeRows: number };

export interface Projector {
  counters: ProjectorCounters;
  stop(): Promise<void>;
}

type Range = { min: bigint; max: bigint };
type Pending = Range & { messages: ConsumedMessage[] };

/**
 * Projects events.changes (winners and retractions) and events.dlq into ClickHouse, exactly once.
 * The ClickHouse Kafka Connect sink's design: before inserting the records [min, max] of a
 * partition, record that range in sink_offsets; insert them with a deduplication token made of
 * topic, partition and range; then commit the Kafka offset. After a crash the recorded range is
 * re-formed from exactly the same records and inserted with the same token, which ClickHouse
 * drops if the first insert had landed (tables and dependent views alike).
 */
export async function startProjector(options: ProjectorOptions): Promise<Projector> {
  const { kafka, writer, topics, log } = options;
  const counters: ProjectorCounters = { ranges: 0, records: 0, replays: 0, changeRows: 0 };
  // Per "topic:partition": the last recorded range, which may or may not have been inserted.
  const recorded = new Map<string, Range>();
  const pending = new Map<string, Pending>();
  for (const topic of [topics.changes, topics.deadLetter]) {
    for (const row of await readSinkOffsets(writer, topic)) {
      recorded.set(`${topic}:${row.partition}`, { min: BigInt(row.minOffset), max: BigInt(row.maxOffset) });
    }
  }
  let lastMarkerAt = 0;

  const producer = createIdempotentProducer(kafka);
  await producer.connect();

  const insertRange = async (topic: string, partition: number, range: Range, messages: ConsumedMessage[]) => {
    const token = `${topic}:${partition}:${range.min}-${range.max}`;
    const batch: ProjectionBatch =
      topic === topics.changes ? projectChanges(messages) : projectDeadLetters(messages);
    for (const u of batch.undecodable)
      log.error({ topic, partition, ...u }, 'undecodable record skipped by projector');
    // Each statement gets its own token, derived from the range, so every table deduplicates.
    await insertEventChanges(writer, batch.changes, { dedupToken: `${token}:changes`, validate: false });
    await insertRejectedEvents(writer, batch.rejected, { dedupToken: `${token}:rejected` });
    await insertBatchEvents(writer, batch.batchEvents, { dedupToken: `${token}:batches` });
    counters.changeRows += batch.changes.length;
    if (batch.outcomes.length > 0) {
      options.onOutcomes?.(batch.outcomes);
      await producer.send({
        topic: topics.outcomes,
        messages: batch.outcomes.map((o) => ({ key: o.batchId, value: encodeJson(o) })),
      });
    }
  };

  const consumer = kafka.consumer({
    groupId: options.groupId,
    readUncommitted: false,
    maxWaitTimeInMs: 20,
    maxBytesPerPartition: 4 * 1024 * 1024,
    sessionTimeout: 30_000,
  });
  await consumer.connect();
  await consumer.subscribe({ topics: [topics.changes, topics.deadLetter], fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    eachBatchAutoResolve: false,
    partitionsConsumedConcurrently: 1, // the embedded engine runs one statement at a time anyway
    eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
      if (!isRunning() || isStale() || batch.isEmpty()) return;
      const { topic, partition } = batch;
      const key = `${topic}:${partition}`;
      let messages = batch.messages;
      const last = recorded.get(key);
      if (last) {
        // Records before the recorded range were inserted before it was recorded.
        messages = messages.filter((m) => BigInt(m.offset) >= last.min);
        let replay = pending.get(key);
        if (!replay && messages.length > 0 && BigInt(messages[0]!.offset) <= last.max) {
          replay = { ...last, messages: [] };
          pending.set(key, replay);
        }
        if (replay) {
          const inRange = messages.filter((m) => BigInt(m.offset) <= replay!.max);
          replay.messages.push(...inRange);
          messages = messages.slice(inRange.length);
          const reached = replay.messages.length > 0 && BigInt(replay.messages.at(-1)!.offset) >= replay.max;
          if (!reached && messages.length === 0) {
            // The fetch ended inside the recorded range: wait for the rest of it.
            resolveOffset(batch.lastOffset());
            return;
          }
          log.info(
            { topic, partition, min: `${replay.min}`, max: `${replay.max}` },
            're-forming recorded range',
          );
          await insertRange(topic, partition, replay, replay.messages);
          pending.delete(key);
          counters.replays++;
          await consumer.commitOffsets([{ topic, partition, offset: (replay.max + 1n).toString() }]);
        }
        recorded.delete(key);
      }
      if (messages.length === 0) {
        resolveOffset(batch.lastOffset());
        return;
      }
      const range = { min: BigInt(messages[0]!.offset), max: BigInt(messages.at(-1)!.offset) };
      lastMarkerAt = Math.max(Date.now(), lastMarkerAt + 1);
      await writeSinkOffset(writer, {
        topic,
        partition,
        minOffset: Number(range.min),
        maxOffset: Number(range.max),
        state: 'before',
        updatedAt: lastMarkerAt,
      });
      await insertRange(topic, partition, range, messages);
      resolveOffset(batch.lastOffset());
      await consumer.commitOffsets([{ topic, partition, offset: (range.max + 1n).toString() }]);
      counters.ranges++;
      counters.records += messages.length;
      await heartbeat();
    },
  });

  return {
    counters,
    async stop() {
      await consumer.disconnect();
      await producer.disconnect();
    },
  };
}
