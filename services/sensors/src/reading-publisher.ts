import { acknowledgedWithin } from '@shopfloor/http-kit';
import type { Producer, ProducerSource } from '@shopfloor/kafka';
import type { SensorMetrics } from '@shopfloor/metrics';
import type { ReadingIntake } from './reading-intake.ts';
import type { SensorCodecs } from './sensor-codecs.ts';
import type { SensorTopics } from './sensor-topics.ts';

/**
 * Appends a batch's valid readings to sensor.readings.raw (key equipmentId, so one processor owns a
 * piece of equipment's windows) and its rejected ones to sensor.dlq, in one acks=all request of an
 * idempotent producer. Resolves once everything is durable.
 */
export async function publishReadings(
  producer: Producer,
  topics: Pick<SensorTopics, 'raw' | 'deadLetter'>,
  codecs: Pick<SensorCodecs, 'raw' | 'deadLetter'>,
  intake: ReadingIntake,
): Promise<void> {
  const topicMessages = [
    {
      topic: topics.raw,
      messages: intake.raw.map((r) => ({ key: r.reading.equipmentId, value: codecs.raw.encode(r) })),
    },
    {
      topic: topics.deadLetter,
      messages: intake.rejected.map((d) => ({ key: d.batchId, value: codecs.deadLetter.encode(d) })),
    },
  ].filter((t) => t.messages.length > 0);
  if (topicMessages.length > 0) await producer.sendBatch({ acks: -1, topicMessages });
}

/** Where the webhook appends a job: resolves once durable, a 503 KAFKA_UNAVAILABLE otherwise. */
export interface ReadingSink {
  publish(intake: ReadingIntake): Promise<void>;
}

/**
 * `publishReadings` bounded in time, as the events gateway's publisher: a failure or a send slower
 * than `timeoutMs` is a 503 (the device retries; what did land is deduped by reading identity), and
 * the producer is renewed after it.
 */
export function kafkaReadingSink(
  producers: Pick<ProducerSource, 'get' | 'renew'>,
  topics: Pick<SensorTopics, 'raw' | 'deadLetter'>,
  codecs: Pick<SensorCodecs, 'raw' | 'deadLetter'>,
  timeoutMs: number,
): ReadingSink {
  return {
    publish: (intake) =>
      acknowledgedWithin(
        timeoutMs,
        () => producers.get().then((p) => publishReadings(p, topics, codecs, intake)),
        () => producers.renew(),
      ),
  };
}

/**
 * Counts a job once it is durable (so a 503 that the device retries is counted once, when it
 * lands): its published readings and its rejections by reason.
 */
export function countedReadingSink(sink: ReadingSink, metrics: SensorMetrics): ReadingSink {
  return {
    async publish(intake) {
      await sink.publish(intake);
      metrics.readingsPublished({
        published: intake.raw.length,
        rejectionReasons: intake.rejections.map((r) => r.reason),
      });
    },
  };
}
