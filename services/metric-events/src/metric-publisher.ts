import type { Producer } from '@shopfloor/kafka';
import type { MetricCodecs } from './metric-codecs.ts';
import type { MetricIntake } from './metric-intake.ts';
import type { MetricTopics } from './metric-topics.ts';

/**
 * Appends a request's valid events to metric.events.raw (key id: every copy of an identity goes to
 * one partition, so one processor decides it) and its rejected ones to metric.events.failed, in one
 * acks=all request of an idempotent producer. Resolves once everything is durable.
 */
export async function publishMetricIntake(
  producer: Pick<Producer, 'sendBatch'>,
  topics: Pick<MetricTopics, 'raw' | 'failed'>,
  codecs: Pick<MetricCodecs, 'raw' | 'failed'>,
  intake: MetricIntake,
): Promise<void> {
  const topicMessages = [
    { topic: topics.raw, messages: intake.raw.map((r) => ({ key: r.id, value: codecs.raw.encode(r) })) },
    {
      topic: topics.failed,
      messages: intake.rejected.map((f) => ({
        key: f.clientId ?? f.requestId,
        value: codecs.failed.encode(f),
      })),
    },
  ].filter((t) => t.messages.length > 0);
  if (topicMessages.length > 0) await producer.sendBatch({ acks: -1, topicMessages });
}
