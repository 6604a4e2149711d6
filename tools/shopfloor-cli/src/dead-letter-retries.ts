import type { DecodeResult } from '@shopfloor/contracts';
import {
  ensureTopics,
  existingTopics,
  fetchLogRanges,
  jsonRecordCodec,
  type KafkaClient,
  type RecordCodec,
  readPartitions,
} from '@shopfloor/kafka';

/**
 * The mark a retry leaves: a record in `<prefix>events.dlq-retries` (compacted, keyed by the dead
 * letter's `batchId:seq`) linking the dead letter to the batch that re-submitted it. The log keeps
 * the link (every derived thing can be rebuilt from the log); `dead-letters list` shows it.
 */
export type DeadLetterRetryRecord = {
  v: 1;
  batchId: string;
  seq: number;
  eventId: string | null;
  retriedAs: string;
  retriedSeq: number;
  retriedAt: string;
};

export function decodeDeadLetterRetryRecord(input: unknown): DecodeResult<DeadLetterRetryRecord> {
  const r = input as Partial<DeadLetterRetryRecord> | null;
  if (
    typeof r !== 'object' ||
    r === null ||
    r.v !== 1 ||
    typeof r.batchId !== 'string' ||
    typeof r.seq !== 'number' ||
    typeof r.retriedAs !== 'string' ||
    typeof r.retriedSeq !== 'number' ||
    typeof r.retriedAt !== 'string'
  )
    return { ok: false, error: 'not a dead-letter retry record (v1)' };
  return { ok: true, value: { ...r, eventId: r.eventId ?? null } as DeadLetterRetryRecord };
}

/** JSON today, like the pipeline's own topics; the wiring may hand another codec in. */
export const jsonDeadLetterRetryCodec = (): RecordCodec<DeadLetterRetryRecord> =>
  jsonRecordCodec(decodeDeadLetterRetryRecord);

export const retriesTopic = (prefix: string) => `${prefix}events.dlq-retries`;

export async function ensureRetriesTopic(kafka: KafkaClient, topic: string): Promise<void> {
  await ensureTopics(kafka, [
    { topic, partitions: 1, compacted: true, configs: { 'delete.retention.ms': '86400000' } },
  ]);
}

/** Appends the marks of one retry. */
export async function recordRetries(
  kafka: KafkaClient,
  topic: string,
  codec: RecordCodec<DeadLetterRetryRecord>,
  records: readonly DeadLetterRetryRecord[],
): Promise<void> {
  await ensureRetriesTopic(kafka, topic);
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    await producer.send({
      topic,
      acks: -1,
      messages: records.map((r) => ({ key: `${r.batchId}:${r.seq}`, value: codec.encode(r) })),
    });
  } finally {
    await producer.disconnect();
  }
}

/** Every mark, by `batchId:seq` (the latest retry of a dead letter wins). */
export async function readRetries(
  kafka: KafkaClient,
  topic: string,
  codec: RecordCodec<DeadLetterRetryRecord>,
): Promise<Map<string, DeadLetterRetryRecord>> {
  const marks = new Map<string, DeadLetterRetryRecord>();
  // No retry was ever made: no topic (asking for its offsets would be retried as a missing topic).
  if (!(await existingTopics(kafka, [topic])).has(topic)) return marks;
  const ranges = await fetchLogRanges(kafka, topic);
  const from = new Map(ranges.filter((r) => r.end > r.start).map((r) => [r.partition, r.start.toString()]));
  const last = new Map(ranges.map((r) => [r.partition, r.end - 1n]));
  const pending: Promise<void>[] = [];
  await readPartitions(kafka, {
    topic,
    from,
    allPartitions: ranges.map((r) => r.partition),
    isLast: (p, m) => BigInt(m.offset) >= last.get(p)!,
    onMessages: (_p, messages) => {
      for (const m of messages)
        pending.push(
          codec.decode(m.value).then((d) => {
            if (d.ok) marks.set(`${d.value.batchId}:${d.value.seq}`, d.value);
          }),
        );
    },
    timeoutMs: 30_000,
  });
  await Promise.all(pending);
  return marks;
}
