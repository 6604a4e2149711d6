import type { Producer } from '@shopfloor/kafka';
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
