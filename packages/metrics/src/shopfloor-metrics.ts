import type { GroupLag, KafkaRequestCount } from '@shopfloor/kafka';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { defineShopfloorMetrics, type ShopfloorMetricSet } from './metric-definitions.ts';
import type {
  DedupeMetrics,
  GatewayMetrics,
  MetricEventMetrics,
  ProjectorMetrics,
  ProjectorName,
  SensorMetrics,
  StreamProcessorMetrics,
} from './metric-ports.ts';
import type { MetricsSnapshot } from './metrics-snapshot.ts';
import {
  consumerLagSampler,
  kafkaRequestsSampler,
  type ScrapeSampler,
  stateEntriesSampler,
} from './scrape-samplers.ts';
import {
  metricEventMetrics,
  projectorMetrics,
  sensorMetrics,
  streamProcessorMetrics,
} from './stream-metric-ports.ts';

export interface ShopfloorMetrics {
  /** This process's registry (never prom-client's global one). */
  readonly registry: Registry;
  readonly set: ShopfloorMetricSet;
  readonly gateway: GatewayMetrics;
  readonly dedupe: DedupeMetrics;
  /** The events stream's projector (`projector="events"`). */
  readonly projector: ProjectorMetrics;
  /** The projector port of a stream's projector (`projectorOf('sensor')`, `projectorOf('metric-events')`). */
  projectorOf(name: ProjectorName): ProjectorMetrics;
  /** The events stream's processor (the dedupe member): where its restore progress is sampled. */
  readonly eventsProcessor: StreamProcessorMetrics;
  readonly sensor: SensorMetrics;
  readonly metricEvents: MetricEventMetrics;
  /** One answered HTTP request (`route` is the route's pattern, never the raw URL). */
  httpRequest(request: { route: string; method: string; statusCode: number; seconds: number }): void;
  /** Reads the lag of consumer groups at every scrape (see consumerLagSampler). */
  sampleConsumerLag(readLag: () => Promise<readonly GroupLag[]>): void;
  /** Reports the process's Kafka requests at every scrape (`kafkaRequestCounts` of its client; call once). */
  sampleKafkaRequests(read: () => readonly KafkaRequestCount[]): void;
  /** The Prometheus text of every metric, with the values read at scrape time freshly read. */
  scrape(): Promise<string>;
  /** The same as `scrape`, as prom-client's JSON: what another process adds to its own (`mergeMetrics`). */
  snapshot(): Promise<MetricsSnapshot>;
  readonly contentType: string;
}

/**
 * The metrics of one process: a registry of its own with every Shopfloor metric, the process
 * metrics of prom-client (CPU, memory, event loop lag, GC; `defaultMetrics: false` leaves them out)
 * and the ports the services report through.
 */
export function createShopfloorMetrics(options: { defaultMetrics?: boolean } = {}): ShopfloorMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const set = defineShopfloorMetrics(registry);
  const samplers: ScrapeSampler[] = [];
  const eventsProcessor = streamProcessorMetrics(set, 'events', samplers);

  const gateway: GatewayMetrics = {
    batchPublished({ published, rejectionReasons }) {
      set.gatewayPublishedEvents.inc(published);
      if (rejectionReasons.length > 0) set.events.inc({ outcome: 'rejected' }, rejectionReasons.length);
      for (const reason of rejectionReasons) set.rejections.inc({ reason });
    },
    inflightEvents: (count) => set.gatewayInflightEvents.set(count),
  };

  const dedupe: DedupeMetrics = {
    batchCommitted(batch) {
      set.dedupeTransactionDuration.observe(batch.transactionSeconds);
      set.dedupeTransactionRecords.observe(batch.records);
      for (const decision of batch.decisions) {
        // The API counts a stale version as deduped; the stale ones are also counted on their own.
        if (decision === 'stale') set.dedupeStaleEvents.inc();
        set.events.inc({ outcome: decision === 'stale' ? 'deduped' : decision });
      }
      if (batch.invalid > 0) set.dedupeInvalidRecords.inc(batch.invalid);
      if (batch.evicted > 0) set.dedupeEvictedEntries.inc(batch.evicted);
      if (batch.found > 0) set.dedupeFoundWinners.inc(batch.found);
    },
    transactionFailed: (phase) => set.dedupeTransactionFailures.inc({ phase }),
    stateRestored(restore) {
      set.dedupeRestoreDuration.observe(restore.seconds);
      set.dedupeRestoredRecords.inc(restore.records);
      eventsProcessor.stateRestored(restore); // the same restore in the family every stream shares
    },
    sampleStateEntries: (source) => samplers.push(stateEntriesSampler(set, source)),
  };

  const projectors = new Map<ProjectorName, ProjectorMetrics>();
  const projectorOf = (name: ProjectorName) => {
    const port = projectors.get(name) ?? projectorMetrics(set, name);
    projectors.set(name, port);
    return port;
  };

  return {
    registry,
    set,
    gateway,
    dedupe,
    projector: projectorOf('events'),
    projectorOf,
    eventsProcessor,
    sensor: sensorMetrics(set, samplers),
    metricEvents: metricEventMetrics(set, samplers),
    httpRequest({ route, method, statusCode, seconds }) {
      set.httpRequestDuration.observe({ route, method, status_code: String(statusCode) }, seconds);
    },
    sampleConsumerLag: (readLag) => samplers.push(consumerLagSampler(set, readLag)),
    sampleKafkaRequests: (read) => samplers.push(kafkaRequestsSampler(set, read)),
    async scrape() {
      await Promise.all(samplers.map((sample) => sample()));
      return registry.metrics();
    },
    async snapshot() {
      await Promise.all(samplers.map((sample) => sample()));
      return registry.getMetricsAsJSON();
    },
    contentType: registry.contentType,
  };
}
