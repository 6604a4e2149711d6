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

/** The ClickHouse a process owns (embedded engine or server) answers a ping. */
export function clickhouseAnswers(clickhouse: {
  ping(): Promise<{ ok: true } | { ok: false; error: Error }>;
}): ReadinessProbe {
  return async () => {
    const ping = await clickhouse.ping();
    if (!ping.ok) throw ping.error;
  };
}

/** A condition the service sets itself (e.g. "restore done", "recovery done"). */
export function flagProbe(isSet: () => boolean, reason: string): ReadinessProbe {
  return async () => {
    if (!isSet()) throw new Error(reason);
  };
}

/** What a stateful consumer reports about its restores (RestoreCoordinator.progress()). */
export type RestoreProgressLike = {
  joined: boolean;
  assigned: readonly number[];
  pending: readonly number[];
  lastError?: string;
};

/**
 * "Restore done": the member joined its group and the state of every partition assigned to it is
 * restored (a member with no partition, a standby, is ready). Not ready again after a rebalance
 * until the new assignment is restored.
 */
export function restoreDone(progress: () => RestoreProgressLike): ReadinessProbe {
  return async () => {
    const p = progress();
    if (!p.joined) throw new Error('has not joined its consumer group yet');
    if (p.pending.length === 0) return { partitions: p.assigned.length };
    const failed = p.lastError ? `; the last restore failed: ${p.lastError}` : '';
    throw new Error(
      `state of partition(s) ${p.pending.join(', ')} (of ${p.assigned.length} assigned) not restored yet${failed}`,
    );
  };
}
