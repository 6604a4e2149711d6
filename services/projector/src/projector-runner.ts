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
  retryWithJitter,
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
  sessionTimeoutMs?: number;
  /** Called after a range is visible in ClickHouse (the standalone process wakes waiters with it). */
  onOutcomes?: (outcomes: OutcomeRecord[]) => void;
}

export type ProjectorCounters = { ranges: number; records: number; replays: number; changeRows: number };

export interface Projector {
  counters: ProjectorCounters;
  stop(): Promise<void>;
}

/**
 * Per topic partition: the last range recorded in sink_offsets, whether its insert is known to have
 * landed, and (while it is not) the records of it collected so far.
 */
type PartitionSink = { min: bigint; max: bigint; applied: boolean; buffer: ConsumedMessage[] };

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
  // After a restart the last recorded range of each partition may or may not have landed.
  const sinks = new Map<string, PartitionSink>();
  for (const topic of [topics.changes, topics.deadLetter]) {
    for (const row of await readSinkOffsets(writer, topic)) {
      sinks.set(`${topic}:${row.partition}`, {
        min: BigInt(row.minOffset),
        max: BigInt(row.maxOffset),
        applied: false,
        buffer: [],
      });
    }
  }
  // ClickHouse being slow or down pauses this partition (the batch is retried with backoff while
  // the consumer keeps its heartbeat), instead of failing and refetching.
  const withRetry = <T>(work: () => Promise<T>, heartbeat: () => Promise<void>) =>
    retryWithJitter(work, {
      retries: 10,
      initialDelayMs: 200,
      maxDelayMs: 5_000,
      isRetriable: () => true,
      onRetry: ({ attempt, delayMs, error }) => {
        log.warn({ attempt, delayMs, err: (error as Error).message }, 'ClickHouse write failed; retrying');
        void heartbeat().catch(() => {});
      },
    });
  let lastMarkerAt = 0;

  const producer = createIdempotentProducer(kafka);
  await producer.connect();

  const insertRange = async (
    topic: string,
    partition: number,
    range: { min: bigint; max: bigint },
    messages: ConsumedMessage[],
  ) => {
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
    sessionTimeout: options.sessionTimeoutMs ?? 30_000,
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
      const commit = (next: bigint) =>
        consumer.commitOffsets([{ topic, partition, offset: next.toString() }]);
      let messages = batch.messages;
      const sink = sinks.get(key);
      if (sink) {
        // Records before the recorded range were inserted before it was recorded.
        messages = messages.filter((m) => BigInt(m.offset) >= sink.min);
        if (!sink.applied && sink.buffer.length === 0 && messages.length > 0) {
          // The first records seen since the start lie past the recorded range: the group's
          // committed offset is past it, and the offset is committed only after the range's insert
          // landed (the usual restart, after a clean commit). Nothing to re-form. (Without this,
          // the range waited for records it would never see again, and the partition stalled.)
          if (BigInt(messages[0]!.offset) > sink.max) sink.applied = true;
        }
        if (!sink.applied) {
          const lastBuffered = sink.buffer.length > 0 ? BigInt(sink.buffer.at(-1)!.offset) : -1n;
          for (const m of messages) {
            const offset = BigInt(m.offset);
            if (offset > lastBuffered && offset <= sink.max) sink.buffer.push(m);
          }
          const reached = sink.buffer.length > 0 && BigInt(sink.buffer.at(-1)!.offset) >= sink.max;
          if (!reached) {
            // The fetch ended inside the recorded range: wait for the rest of it.
            resolveOffset(batch.lastOffset());
            return;
          }
          log.info({ topic, partition, min: `${sink.min}`, max: `${sink.max}` }, 're-forming recorded range');
          await withRetry(() => insertRange(topic, partition, sink, sink.buffer), heartbeat);
          sink.applied = true;
          sink.buffer = [];
          counters.replays++;
          await commit(sink.max + 1n);
        }
        messages = messages.filter((m) => BigInt(m.offset) > sink.max);
      }
      if (messages.length === 0) {
        resolveOffset(batch.lastOffset());
        return;
      }
      const next: PartitionSink = {
        min: BigInt(messages[0]!.offset),
        max: BigInt(messages.at(-1)!.offset),
        applied: false,
        buffer: messages,
      };
      lastMarkerAt = Math.max(Date.now(), lastMarkerAt + 1);
      const marker = {
        topic,
        partition,
        minOffset: Number(next.min),
        maxOffset: Number(next.max),
        state: 'before' as const,
        updatedAt: lastMarkerAt,
      };
      await withRetry(() => writeSinkOffset(writer, marker), heartbeat);
      // From here on, any retry or replay must re-form exactly this range.
      sinks.set(key, next);
      await withRetry(() => insertRange(topic, partition, next, messages), heartbeat);
      next.applied = true;
      next.buffer = [];
      resolveOffset(batch.lastOffset());
      await commit(next.max + 1n);
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
