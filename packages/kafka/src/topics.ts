import { setTimeout as sleep } from 'node:timers/promises';
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
   * it): what correctness depends on, such as the retention of a topic projections are rebuilt from,
   * or what keeps the broker's work bounded, such as a state changelog's cleaning ratio.
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
 * Safe to call from several processes at once: a topic created concurrently by someone else counts
 * as existing, and in every case it returns only once every partition of every topic has a leader
 * (kafkajs's own wait is skipped for the caller that lost the creation race, whose first produce or
 * join then failed with UNKNOWN_TOPIC_OR_PARTITION).
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
    const created =
      missing.length > 0 &&
      (await admin.createTopics({
        waitForLeaders: false,
        topics: missing.map((spec) => ({
          topic: spec.topic,
          numPartitions: spec.partitions,
          replicationFactor: spec.replicationFactor ?? 1,
          configEntries: Object.entries(topicConfigs(spec)).map(([name, value]) => ({ name, value })),
        })),
      }));
    await waitForLeaders(
      admin,
      specs.map((spec) => spec.topic),
    );
    return created ? missing.map((spec) => spec.topic) : [];
  } finally {
    await admin.disconnect();
  }
}

const LEADER_WAIT_MS = 30_000;
/** What the broker answers for a topic whose creation it has not finished propagating. */
const NOT_YET = new Set(['UNKNOWN_TOPIC_OR_PARTITION', 'LEADER_NOT_AVAILABLE']);

async function waitForLeaders(admin: ReturnType<KafkaClient['admin']>, topics: string[]) {
  const waitMs = LEADER_WAIT_MS;
  const deadline = Date.now() + waitMs;
  let pending = 'no answer yet';
  while (Date.now() < deadline) {
    try {
      const metadata = await admin.fetchTopicMetadata({ topics });
      // A topic the broker knows of but whose partitions it has not listed yet counts as leaderless.
      const leaderless = metadata.topics.flatMap((t) =>
        t.partitions.length === 0
          ? [`${t.name}/*`]
          : t.partitions.filter((p) => p.leader < 0).map((p) => `${t.name}/${p.partitionId}`),
      );
      if (leaderless.length === 0) return;
      pending = `no leader yet for ${leaderless.slice(0, 5).join(', ')}`;
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === undefined || !NOT_YET.has(type)) throw err;
      pending = type;
    }
    await sleep(100);
  }
  throw new Error(`topics not ready after ${waitMs} ms (${pending}): ${topics.join(', ')}`);
}
