import type { ClickHouseReader, ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { lmdbStateStores, storedAsIs } from '@shopfloor/dedupe';
import type { RebuildStream } from '@shopfloor/group-projector';
import { acknowledgedWithin, type HttpRoutes } from '@shopfloor/http-kit';
import {
  ensureTopics,
  firstMemberStop,
  type GroupSubscription,
  type KafkaClient,
  type MemberStop,
  renewingIdempotentProducer,
} from '@shopfloor/kafka';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import { type MetricEventMetrics, noMetrics, type ProjectorMetrics } from '@shopfloor/metrics';
import type { RestoreProgress } from '@shopfloor/stream-runner';
import type { Logger } from 'pino';
import { type MetricCodecs, registryMetricCodecs } from './metric-codecs.ts';
import { checkMetricEventsStore } from './metric-events-startup.ts';
import { metricIntakeRoutes } from './metric-intake-routes.ts';
import { type MetricProcessorCounters, startMetricProcessor } from './metric-processor.ts';
import { createMetricProjector, type MetricProjector, metricRebuildStream } from './metric-projector.ts';
import { publishMetricIntake } from './metric-publisher.ts';
import { metricQueryRoutes } from './metric-query-routes.ts';
import { type MetricTopics, metricEventsLayout, metricTopicSpecs, metricTopics } from './metric-topics.ts';
import { OutcomeWaiters } from './outcome-waiters.ts';

/** The settings the metric-events stream reads. */
export type MetricEventsConfig = Pick<
  ShopfloorConfig,
  | 'SHOPFLOOR_TOPIC_PREFIX'
  | 'SHOPFLOOR_PARTITIONS'
  | 'SHOPFLOOR_METRIC_EVENTS_GROUP'
  | 'SHOPFLOOR_ALLOW_SIMULATED_FAILURES'
  | 'SHOPFLOOR_MAX_BATCH_EVENTS'
  | 'SHOPFLOOR_SYNC_TIMEOUT_MS'
  | 'SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS'
  | 'SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
  | 'SHOPFLOOR_INSTANCE_ID'
  | 'dirs'
>;

export interface MetricEventsDeps {
  kafka: KafkaClient;
  /**
   * The brokers `kafka` talks to: the processor's local state and the projection are checked against
   * the log before anything starts (a lost or re-created log is refused with LogMismatchError, as
   * the other streams' stores are; an emptied projection is derived again).
   */
  brokers: string[];
  /** The schema registry's Confluent-compatible API (the stream's .avsc are registered there). */
  registryUrl: string;
  /** The ClickHouse this process owns (the projector writes, the routes read). */
  clickhouse: { reader: ClickHouseReader; writer: ClickHouseWriter };
  log: Logger;
  /** Where the routes, the processor and the projector report (Prometheus). Default: nowhere. */
  metrics?: { metricEvents: MetricEventMetrics; projector: ProjectorMetrics } | undefined;
}

export interface MetricEventsService {
  topics: MetricTopics;
  codecs: MetricCodecs;
  /** POST /events, POST /events/batch-metrics, GET /events/processed|failed, GET /aggregates. */
  routes: HttpRoutes;
  processor: {
    counters: MetricProcessorCounters;
    assigned(): number[];
    /** Whether every assigned partition's state is restored (for `/ready`). */
    restoreProgress(): RestoreProgress;
  };
  projector: MetricProjector;
  /** The processor's and the projector's groups with the topics they read (for the consumer lag). */
  consumerGroups: GroupSubscription[];
  /** Its part of the rebuild of the ClickHouse projections (`shopfloor rebuild`). */
  rebuildStream: RebuildStream;
  /** Settles once the processor or the projector stopped for good (see exitWhenAMemberStops). */
  stopped: Promise<MemberStop>;
  stop(): Promise<void>;
}

/**
 * The metric-events stream, wired once for its own main and the all-in-one process: its topics,
 * its Avro codecs (registered), the processor (a member of SHOPFLOOR_METRIC_EVENTS_GROUP, state in
 * LMDB under SHOPFLOOR_DATA_DIR/metric-state/<instance>), the projector into the ClickHouse this
 * process owns, and the routes (to register on the process's HTTP app). Stops what it started
 * when a later step fails.
 */
export async function createMetricEventsService(
  config: MetricEventsConfig,
  deps: MetricEventsDeps,
): Promise<MetricEventsService> {
  const { kafka, log } = deps;
  const metrics = deps.metrics ?? { metricEvents: noMetrics.metricEvents, projector: noMetrics.projector };
  const topics = metricTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const { groupId, projectorGroupId, stateDir } = metricEventsLayout(config);
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err) =>
        log.warn({ err: (err as Error).message }, 'error while stopping metric events'),
      );
    }
  };
  try {
    await ensureTopics(kafka, metricTopicSpecs(topics, config.SHOPFLOOR_PARTITIONS));
    const codecs = await registryMetricCodecs({
      url: deps.registryUrl,
      topics,
      log: (line, fields) => log.info(fields ?? {}, line),
    });
    const stores = lmdbStateStores(stateDir, storedAsIs<MetricStateRecord>());
    cleanups.push(() => stores.close());
    const tables = await checkMetricEventsStore({
      kafka,
      brokers: deps.brokers,
      clickhouse: deps.clickhouse,
      stores,
      stateDir,
      topics,
      partitions: config.SHOPFLOOR_PARTITIONS,
      projectorGroupId,
    });
    // Renewed after a send that failed or timed out, as the other streams' ingest producers.
    const producers = renewingIdempotentProducer(kafka);
    await producers.get();
    cleanups.push(() => producers.disconnect());
    const waiters = new OutcomeWaiters();

    const processor = await startMetricProcessor({
      kafka,
      codecs,
      topics,
      groupId,
      partitions: config.SHOPFLOOR_PARTITIONS,
      stores,
      memberIdDir: stateDir,
      log: log.child({ component: 'metric-processor' }),
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      metrics: metrics.metricEvents,
    });
    cleanups.push(() => processor.stop());
    const projector = createMetricProjector({
      kafka,
      writer: deps.clickhouse.writer,
      codecs,
      topics,
      groupId: projectorGroupId,
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      log: log.child({ component: 'metric-projector' }),
      metrics: metrics.projector,
      memberIdDir: stateDir,
      onOutcomes: (outcomes) => waiters.ingest(outcomes),
    });
    cleanups.push(() => projector.stop());
    await projector.start();
    log.info(
      {
        topics: Object.values(topics),
        subjects: Object.values(topics).map((t) => `${t}-value`),
        tables,
        group: groupId,
        projectorGroup: projectorGroupId,
        partitions: config.SHOPFLOOR_PARTITIONS,
      },
      'metric-events stream started: topics present, schemas registered, tables and projection checked',
    );

    const routes: HttpRoutes = async (app) => {
      await app.register(metricIntakeRoutes, {
        publish: async (intake) => {
          await acknowledgedWithin(
            config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS,
            () => producers.get().then((p) => publishMetricIntake(p, topics, codecs, intake)),
            () => producers.renew(),
          );
          // Counted once durable, so a 503 that the client retries is counted once, when it lands.
          metrics.metricEvents.eventsPublished({
            published: intake.raw.length,
            rejectionReasons: intake.rejected.map((r) => r.reason),
          });
        },
        waiters,
        allowSimulatedFailures: config.SHOPFLOOR_ALLOW_SIMULATED_FAILURES,
        maxBatchEvents: config.SHOPFLOOR_MAX_BATCH_EVENTS,
        syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
        maxInflightEvents: config.SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS,
      });
      await app.register(metricQueryRoutes, { reader: deps.clickhouse.reader });
    };
    const consumerGroups = [
      { groupId, topics: [topics.raw] },
      { groupId: projectorGroupId, topics: [topics.processed, topics.failed] },
    ];
    const rebuildStream = metricRebuildStream(projector, {
      codecs,
      topics,
      log: log.child({ component: 'rebuild' }),
    });
    const stopped = firstMemberStop({
      'metric-events processor': processor.stopped,
      'metric-events projector': projector.stopped,
    });
    return { topics, codecs, routes, processor, projector, consumerGroups, rebuildStream, stopped, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
