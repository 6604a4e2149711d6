import type { ShopfloorConfig } from '@shopfloor/config';
import { topicsUnder } from '@shopfloor/contracts';
import { keptForeverTopic, stateChangelogTopic, type TopicSpec, withLargeMessages } from '@shopfloor/kafka';

/** The topics of the metric-events stream, under one prefix (`SHOPFLOOR_TOPIC_PREFIX` + `metric.events.`). */
export type MetricTopics = {
  /** Every validated event, key id: all copies of one identity land on one partition, one owner decides. */
  raw: string;
  /** Compacted changelog of the processed identities, co-partitioned with raw. */
  state: string;
  /** The processor's decisions (counted events and duplicates), key id, on the input's partition. */
  processed: string;
  /** Rejected (validation), failed (SIMULATED_FAILURE) and undecodable events. */
  failed: string;
};

export function metricTopics(prefix = ''): MetricTopics {
  return topicsUnder(prefix, {
    raw: 'metric.events.raw',
    state: 'metric.events.state',
    processed: 'metric.events.processed',
    failed: 'metric.events.failed',
  });
}

/** raw, state and processed share the partition count (state and outputs go to the input's partition). */
export function metricTopicSpecs(names: MetricTopics, partitions: number): TopicSpec[] {
  // The projection is rebuilt from processed + failed, the state from raw.
  return [
    keptForeverTopic(names.raw, partitions),
    stateChangelogTopic(names.state, partitions),
    keptForeverTopic(names.processed, partitions),
    keptForeverTopic(names.failed, partitions),
  ].map(withLargeMessages);
}

/**
 * The stream's consumer groups and local state folder, from the config: the processor's group
 * (SHOPFLOOR_METRIC_EVENTS_GROUP, default `<prefix>shopfloor-metric-events`), its projector's
 * (`<group>-projector`) and the processor's LMDB state (SHOPFLOOR_DATA_DIR/metric-state/<instance>).
 * One definition for the service and the operator command.
 */
export function metricEventsLayout(
  config: Pick<ShopfloorConfig, 'SHOPFLOOR_METRIC_EVENTS_GROUP' | 'SHOPFLOOR_TOPIC_PREFIX' | 'dirs'>,
): { groupId: string; projectorGroupId: string; stateDir: string } {
  const groupId =
    config.SHOPFLOOR_METRIC_EVENTS_GROUP ?? `${config.SHOPFLOOR_TOPIC_PREFIX}shopfloor-metric-events`;
  return {
    groupId,
    projectorGroupId: `${groupId}-projector`,
    stateDir: config.dirs.metricState,
  };
}
