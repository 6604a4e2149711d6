import { settleWithin } from '@shopfloor/contracts';
import type { GroupLag, KafkaRequestCount } from '@shopfloor/kafka';
import type { ShopfloorMetricSet } from './metric-definitions.ts';

/** A value read when Prometheus scrapes, rather than counted as things happen. */
export type ScrapeSampler = () => Promise<void>;

/** Lag reads that take longer answer the scrape without lag series (and count a scrape error). */
export const LAG_READ_TIMEOUT_MS = 3_000;

/**
 * Consumer lag per group, topic and partition from the Kafka admin. Every member of a group reports
 * every partition of it (so the lag of a dead member's partitions stays visible): aggregate with
 * `max by (group, topic, partition)`. A broker that does not answer leaves the series out, never
 * stale values.
 */
export function consumerLagSampler(
  metrics: ShopfloorMetricSet,
  readLag: () => Promise<readonly GroupLag[]>,
  timeoutMs = LAG_READ_TIMEOUT_MS,
): ScrapeSampler {
  return async () => {
    metrics.consumerLag.reset();
    metrics.consumerCommittedOffset.reset();
    metrics.logEndOffset.reset();
    let groups: readonly GroupLag[];
    try {
      groups = await settleWithin(
        readLag(),
        timeoutMs,
        () => new Error(`reading the consumer lag took longer than ${timeoutMs} ms`),
      );
    } catch {
      metrics.scrapeErrors.inc({ source: 'consumer_lag' });
      return;
    }
    for (const { groupId, partitions } of groups) {
      for (const p of partitions) {
        const labels = { group: groupId, topic: p.topic, partition: String(p.partition) };
        metrics.consumerLag.set(labels, p.lag);
        if (p.committedOffset !== null) metrics.consumerCommittedOffset.set(labels, p.committedOffset);
        metrics.logEndOffset.set({ topic: p.topic, partition: String(p.partition) }, p.logEndOffset);
      }
    }
  };
}

/** The dedupe state entries of the partitions this process holds. */
export function stateEntriesSampler(
  metrics: ShopfloorMetricSet,
  source: () => readonly { partition: number; entries: number }[],
): ScrapeSampler {
  return async () => {
    metrics.dedupeStateEntries.reset();
    try {
      for (const { partition, entries } of source()) {
        metrics.dedupeStateEntries.set({ partition: String(partition) }, entries);
      }
    } catch {
      metrics.scrapeErrors.inc({ source: 'state_entries' });
    }
  };
}

/**
 * The Kafka requests the process's clients sent (`kafkaRequestCounts` of each client): counts that
 * only grow, copied into the two counters at every scrape.
 */
export function kafkaRequestsSampler(
  metrics: ShopfloorMetricSet,
  read: () => readonly KafkaRequestCount[],
): ScrapeSampler {
  return async () => {
    metrics.kafkaRequests.reset();
    metrics.kafkaRequestSeconds.reset();
    for (const { client, api, requests, seconds } of read()) {
      metrics.kafkaRequests.inc({ client, api }, requests);
      metrics.kafkaRequestSeconds.inc({ client, api }, seconds);
    }
  };
}
