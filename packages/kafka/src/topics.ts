import { enforceTopicConfigs } from './topic-config-enforcement.ts';
import type { KafkaClient } from './types.ts';

export interface TopicSpec {
  topic: string;
  partitions: number;
  /** cleanup.policy=compact, tuned so the log cleaner runs promptly (see COMPACTED_TOPIC_CONFIGS). */
  compacted?: boolean;
  /** Extra topic configs, set at creation; they win over the compaction defaults. */
  configs?: Record<string, string>;
  /**
   * Configs set at creation AND applied to the topic when it already exists (ensureTopics alters
   * it): what correctness depends on, such as the retention of a topic projections are rebuilt from.
   */
  enforcedConfigs?: Record<string, string>;
  /** Default 1: the local broker is a single node. */
  replicationFactor?: number;
}

/**
 * Compaction only touches closed segments, and by default a segment closes after 7 days or 1 GiB and
 * is cleaned once half the log is dirty. These values let a dev broker compact within seconds while
 * remaining harmless for small state topics; production deployments override them per topic.
 */
export const COMPACTED_TOPIC_CONFIGS: Readonly<Record<string, string>> = Object.freeze({
  'cleanup.policy': 'compact',
  'segment.ms': '1000',
  'min.cleanable.dirty.ratio': '0.01',
  'delete.retention.ms': '1000',
  'min.compaction.lag.ms': '0',
});

export function topicConfigs(spec: TopicSpec): Record<string, string> {
  return { ...(spec.compacted ? COMPACTED_TOPIC_CONFIGS : {}), ...spec.configs, ...spec.enforcedConfigs };
}

/**
 * Creates the topics that do not exist yet. Existing ones keep their partition count and configs,
 * except their `enforcedConfigs`, which are altered where they differ. Returns the names it created.
 * Safe to call from several processes: a topic created concurrently by someone else counts as
 * existing.
 */
export async function ensureTopics(kafka: KafkaClient, specs: TopicSpec[]): Promise<string[]> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    for (const spec of specs)
      if (existing.has(spec.topic) && spec.enforcedConfigs)
        await enforceTopicConfigs(admin, spec.topic, spec.enforcedConfigs);
    const missing = specs.filter((spec) => !existing.has(spec.topic));
    if (missing.length === 0) return [];
    await admin.createTopics({
      waitForLeaders: true,
      topics: missing.map((spec) => ({
        topic: spec.topic,
        numPartitions: spec.partitions,
        replicationFactor: spec.replicationFactor ?? 1,
        configEntries: Object.entries(topicConfigs(spec)).map(([name, value]) => ({ name, value })),
      })),
    });
    return missing.map((spec) => spec.topic);
  } finally {
    await admin.disconnect();
  }
}
