import { acknowledgedWithin } from '@shopfloor/http-kit';
import type { ProducerSource, ShopfloorCodecs } from '@shopfloor/kafka';
import type { BatchIntake } from './batch-intake.ts';

export interface BatchPublisher {
  /** Resolves once every record of the batch is durable in Kafka (acks=all); rejects otherwise. */
  publish(batch: BatchIntake): Promise<void>;
}

/**
 * Appends the valid events to events.raw (key eventId, so every version of an event lands on one
 * partition) and the rejected ones to the dead-letter topic, in one idempotent acks=all request,
 * each value encoded by its topic's codec. A failure or a send slower than `timeoutMs` is a 503:
 * the machine retries, and a retry of what did land is deduped downstream. After a failure the
 * producer is renewed (see `renewingProducer`).
 */
export function kafkaBatchPublisher(
  producers: ProducerSource,
  topics: { raw: string; deadLetter: string },
  codecs: Pick<ShopfloorCodecs, 'raw' | 'deadLetter'>,
  timeoutMs = 10_000,
): BatchPublisher {
  return {
    async publish(batch) {
      const topicMessages = [
        {
          topic: topics.raw,
          messages: batch.raw.map((r) => ({ key: r.event.eventId, value: codecs.raw.encode(r) })),
        },
        {
          topic: topics.deadLetter,
          messages: batch.rejected.map((d) => ({ key: d.batchId, value: codecs.deadLetter.encode(d) })),
        },
      ].filter((t) => t.messages.length > 0);
      if (topicMessages.length === 0) return;
      await acknowledgedWithin(
        timeoutMs,
        () => producers.get().then((producer) => producer.sendBatch({ acks: -1, topicMessages })),
        () => producers.renew(),
      );
    },
  };
}
