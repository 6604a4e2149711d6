import { createIdempotentProducer, ensureTopics, type KafkaClient } from '@shopfloor/kafka';
import { uniqueTopic } from '@shopfloor/test-support';
import { inject } from 'vitest';
import { registryMetricCodecs } from '../src/metric-codecs.ts';
import { metricTopicSpecs, metricTopics } from '../src/metric-topics.ts';

/**
 * A metric-events stream of its own on the suite's broker and registry: topics under a fresh
 * prefix, created with `partitions`; the Avro codecs registered; an idempotent producer connected
 * (the caller disconnects it).
 */
export async function metricStreamOnSuite(kafka: KafkaClient, label: string, partitions: number) {
  const topics = metricTopics(`${uniqueTopic(label)}.`);
  await ensureTopics(kafka, metricTopicSpecs(topics, partitions));
  const codecs = await registryMetricCodecs({ url: inject('schemaRegistryUrl'), topics });
  const producer = createIdempotentProducer(kafka);
  await producer.connect();
  return { topics, codecs, producer };
}
