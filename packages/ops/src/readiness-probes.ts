import { describeCluster, existingTopics, type KafkaClient } from '@shopfloor/kafka';
import type { ReadinessProbe } from './probes-plugin.ts';

/** The broker answers a metadata request. */
export function brokerReachable(brokers: string[]): ReadinessProbe {
  return () => describeCluster(brokers, { timeoutMs: 2_000 });
}

/** Every named topic exists. */
export function topicsPresent(kafka: KafkaClient, topics: readonly string[]): ReadinessProbe {
  return async () => {
    const present = await existingTopics(kafka, topics);
    const missing = topics.filter((t) => !present.has(t));
    if (missing.length > 0) throw new Error(`missing topics: ${missing.join(', ')}`);
  };
}

/** A condition the service sets itself (e.g. "restore done", "recovery done"). */
export function flagProbe(isSet: () => boolean, reason: string): ReadinessProbe {
  return async () => {
    if (!isSet()) throw new Error(reason);
  };
}
