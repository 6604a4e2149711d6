import type { ShopfloorTopics } from '@shopfloor/contracts';
import type { TopicSpec } from './topics.ts';

type TopicConfigs = Record<string, string>;

/**
 * The topics of the pipeline. events.raw, events.state and events.change-batches are co-partitioned:
 * the same partition count, and the dedupe consumer writes state and its one change batch per
 * transaction to the partition of the raw records it decided, so one owner holds every version of
 * an eventId and its state.
 */
export function shopfloorTopicSpecs(names: ShopfloorTopics, partitions: number): TopicSpec[] {
  // The projections are rebuilt from events.change-batches and events.dlq (the projector's inputs),
  // the dedupe state from events.raw on request.
  return [
    keptForeverTopic(names.raw, partitions),
    stateChangelogTopic(names.state, partitions),
    keptForeverTopic(names.changes, partitions),
    keptForeverTopic(names.deadLetter, 1),
    { topic: names.outcomes, partitions: 1 },
    { topic: names.invalid, partitions: 1 },
  ]
    .map(withLargeMessages)
    .concat(keyTopicSpec(names.keys));
}

/**
 * Raised on every topic a gateway or a processor writes in bulk, on creation and on existing topics:
 * kafkajs sends all records of one partition in a request as ONE record batch, which must fit in
 * `max.message.bytes` (the broker's default, ~1 MB). A 10 000-event HTTP batch does not, nor does
 * what a processor may write for one fetched partition batch (up to 1 MiB of input records; their
 * state and decisions can be larger): at the default, a backlog of that size stopped the sensor
 * processor at its first transaction (MESSAGE_TOO_LARGE), every time it restarted
 * (services/sensors/test/sensor-runner.integration.test.ts, "a backlog larger than ...").
 */
export const LARGE_MESSAGE_CONFIGS: Readonly<TopicConfigs> = Object.freeze({
  'max.message.bytes': String(64 * 1024 * 1024),
});

/** `spec` with LARGE_MESSAGE_CONFIGS, on creation and on an existing topic (enforced). */
export function withLargeMessages(spec: TopicSpec): TopicSpec {
  return { ...spec, enforcedConfigs: { ...spec.enforcedConfigs, ...LARGE_MESSAGE_CONFIGS } };
}

/**
 * The API key log: one partition, so every process reads all key changes in order; compacted
 * (latest change per keyId), and a revocation is a record, never a tombstone, so it is kept.
 */
export function keyTopicSpec(topic: string): TopicSpec {
  return { topic, partitions: 1, compacted: true };
}

/**
 * A log a projection or a state is rebuilt from (every stream's raw, processed and dead-letter
 * topics): kept forever, since a deleted segment would make a rebuild silently incomplete (the
 * rebuild refuses a topic whose first offset is not 0). Enforced on existing topics too.
 */
export function keptForeverTopic(topic: string, partitions: number): TopicSpec {
  return { topic, partitions, enforcedConfigs: { 'retention.ms': '-1', 'retention.bytes': '-1' } };
}

/** A state changelog's own configs, over COMPACTED_TOPIC_CONFIGS. */
export const STATE_CHANGELOG_CONFIGS: Readonly<TopicConfigs> = Object.freeze({
  'segment.ms': '60000',
  // Tombstones must outlive any checkpoint a restarted member may resume from.
  'delete.retention.ms': '86400000',
});

/**
 * Enforced on existing changelogs too. Most of a changelog's records have keys of their own (an
 * event's or a reading's identity), which compaction keeps, and every cleaning rewrites the log from
 * its first offset: at the 1 % of COMPACTED_TOPIC_CONFIGS the cleaner rewrote the whole state at
 * every segment roll, a cost growing with the state. At Kafka's default, 0.5, a log is cleaned once
 * its dirty part is as large as its clean part, so the cleaner's work stays proportional to what is
 * written (bench/micro/changelog-cleaning.ts) and a restore reads at most about twice the state.
 */
export const STATE_CHANGELOG_ENFORCED_CONFIGS: Readonly<TopicConfigs> = Object.freeze({
  'min.cleanable.dirty.ratio': '0.5',
  // A changelog's partitions are created together, so without jitter they all rolled a segment at
  // the same moment and the one cleaner thread cleaned them back to back: ~1 s of broker CPU at once,
  // which held the sensor alerts in flight (bench/README.md, Levers 11). Each segment now rolls at a
  // random point of the last half of segment.ms: the same cleaning, spread.
  'segment.jitter.ms': '30000',
});

/**
 * A changelog of write-once state, co-partitioned with its input: every key is written once and
 * never superseded (a reading identity the processor has seen), so compaction would reclaim
 * nothing and only copy the same records again at every cleaning, a cost growing with the history
 * (bench/README.md, "Reading identities out of the compacted changelog"). Kept forever without
 * cleaning, like the logs projections are rebuilt from. `compacted`: when the stream drops old keys
 * (tombstones: a state horizon), the topic is compacted as a state changelog instead. Enforced on an
 * existing topic, so changing the horizon changes the policy.
 */
export function writeOnceStateTopic(topic: string, partitions: number, compacted: boolean): TopicSpec {
  if (compacted) {
    const spec = stateChangelogTopic(topic, partitions);
    return { ...spec, enforcedConfigs: { ...spec.enforcedConfigs, 'cleanup.policy': 'compact' } };
  }
  return {
    topic,
    partitions,
    enforcedConfigs: { 'cleanup.policy': 'delete', 'retention.ms': '-1', 'retention.bytes': '-1' },
  };
}

/** A processor's compacted state changelog, co-partitioned with its input. */
export function stateChangelogTopic(topic: string, partitions: number): TopicSpec {
  return {
    topic,
    partitions,
    compacted: true,
    configs: { ...STATE_CHANGELOG_CONFIGS },
    enforcedConfigs: { ...STATE_CHANGELOG_ENFORCED_CONFIGS },
  };
}
