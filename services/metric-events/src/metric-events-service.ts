import path from 'node:path';
import type { ClickHouseReader, ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { acknowledgedWithin, type HttpRoutes } from '@shopfloor/http-kit';
import { createIdempotentProducer, ensureTopics, type KafkaClient } from '@shopfloor/kafka';
import type { MetricStateRecord } from '@shopfloor/metric-events';
import type { Logger } from 'pino';
import { type MetricCodecs, registryMetricCodecs } from './metric-codecs.ts';
import { metricIntakeRoutes } from './metric-intake-routes.ts';
import { type MetricProcessorCounters, startMetricProcessor } from './metric-processor.ts';
import { createMetricProjector, type MetricProjector } from './metric-projector.ts';
import { publishMetricIntake } from './metric-publisher.ts';
import { metricQueryRoutes } from './metric-query-routes.ts';
import { type MetricTopics, metricTopicSpecs, metricTopics } from './metric-topics.ts';
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
  /** The schema registry's Confluent-compatible API (the stream's .avsc are registered there). */
  registryUrl: string;
  /** The ClickHouse this process owns (the projector writes, the routes read). */
  clickhouse: { reader: ClickHouseReader; writer: ClickHouseWriter };
  log: Logger;
}

export interface MetricEventsService {
  topics: MetricTopics;
  codecs: MetricCodecs;
  /** POST /events, POST /events/batch-metrics, GET /events/processed|failed, GET /aggregates. */
  routes: HttpRoutes;
  processor: { counters: MetricProcessorCounters; assigned(): number[] };
  projector: MetricProjector;
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
  const topics = metricTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const groupId =
    config.SHOPFLOOR_METRIC_EVENTS_GROUP ?? `${config.SHOPFLOOR_TOPIC_PREFIX}shopfloor-metric-events`;
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
    const stores = lmdbStateStores<MetricStateRecord>(
      path.join(config.dirs.data, 'metric-state', config.SHOPFLOOR_INSTANCE_ID),
    );
    cleanups.push(() => stores.close());
    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());
    const waiters = new OutcomeWaiters();

    const processor = await startMetricProcessor({
      kafka,
      codecs,
      topics,
      groupId,
      partitions: config.SHOPFLOOR_PARTITIONS,
      stores,
      log: log.child({ component: 'metric-processor' }),
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
    });
    cleanups.push(() => processor.stop());
    const projector = createMetricProjector({
      kafka,
      writer: deps.clickhouse.writer,
      codecs,
      topics,
      groupId: `${groupId}-projector`,
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      log: log.child({ component: 'metric-projector' }),
      onOutcomes: (outcomes) => waiters.ingest(outcomes),
    });
    cleanups.push(() => projector.stop());
    await projector.start();

    const routes: HttpRoutes = async (app) => {
      await app.register(metricIntakeRoutes, {
        publish: (intake) =>
          acknowledgedWithin(config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS, () =>
            publishMetricIntake(producer, topics, codecs, intake),
          ),
        waiters,
        allowSimulatedFailures: config.SHOPFLOOR_ALLOW_SIMULATED_FAILURES,
        maxBatchEvents: config.SHOPFLOOR_MAX_BATCH_EVENTS,
        syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
        maxInflightEvents: config.SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS,
      });
      await app.register(metricQueryRoutes, { reader: deps.clickhouse.reader });
    };
    return { topics, codecs, routes, processor, projector, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
