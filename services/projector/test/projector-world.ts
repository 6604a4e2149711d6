import { shopfloorTopics } from '@shopfloor/contracts';
import {
  createIdempotentProducer,
  ensureTopics,
  type KafkaClient,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { startEmbeddedClickHouse, uniqueTopic } from '@shopfloor/test-support';

/**
 * What the projector's integration tests start from: the pipeline's topics under a unique prefix on
 * the real broker, an embedded ClickHouse, a connected producer, and the projector's settings.
 * `close` stops what this made (the tests stop the projectors they start).
 */
export async function projectorTestWorld(
  kafka: KafkaClient,
  options: { name: string; partitions: number; sessionTimeoutMs: number },
) {
  const prefix = `${uniqueTopic(options.name)}.`;
  const topics = shopfloorTopics(prefix);
  await ensureTopics(kafka, shopfloorTopicSpecs(topics, options.partitions));
  const ch = await startEmbeddedClickHouse();
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  const config = {
    topics,
    SHOPFLOOR_PROJECTOR_GROUP: `${prefix}projector`,
    SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS: options.sessionTimeoutMs,
    SHOPFLOOR_BAD_RECORD_POLICY: 'dead-letter' as const,
  };
  return {
    topics,
    ch,
    producer,
    config,
    async close() {
      await producer.disconnect().catch(() => {});
      await ch.stop();
    },
  };
}
