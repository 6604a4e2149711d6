import { type BiEndpoint, startBiEndpoint } from '@shopfloor/bi-endpoint';
import {
  type ClickHouseReader,
  migrate,
  openClickHouse,
  recoverProjectionSwitch,
} from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { applyRequestedStateResetFor, createDedupeService, type DedupeRunner } from '@shopfloor/consumer';
import { dashboardRoutes, systemDashboardPorts } from '@shopfloor/dashboard';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createGatewayService } from '@shopfloor/gateway';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { createKafka, ensureTopics, type ShopfloorCodecs, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { authAtStartup, followKeysInto } from '@shopfloor/key-log';
import { type LocalKafka, startLocalKafka } from '@shopfloor/local-kafka';
import { createMetricEventsService } from '@shopfloor/metric-events-service';
import { createShopfloorMetrics, metricsRoutes, type ShopfloorMetrics } from '@shopfloor/metrics';
import {
  brokerReachable,
  checkAll,
  checkProjectionAgainstLog,
  checkStateAgainstLog,
  internalStatusRoutes,
  probeRoutes,
  restoreDone,
  topicsPresent,
} from '@shopfloor/ops';
import {
  clickHouseWinnerLookup,
  createProjectorRebuildJob,
  createProjectorService,
  type ProjectorService,
  rebuildRoutes,
} from '@shopfloor/projector';
import { createQueryService } from '@shopfloor/query';
import {
  createSensorService,
  registrySensorCodecs,
  type SensorService,
  sensorTopicSpecs,
  sensorTopics,
} from '@shopfloor/sensors-service';
import type { Logger } from 'pino';
import { z } from 'zod';
import { dedupeStateRoutes } from './dedupe-state-routes.ts';
import { startDemoMachines } from './demo-machines.ts';
import { type SchemaRegistryStartup, startSchemaRegistry } from './schema-registry-startup.ts';

const healthResponseSchema = z.object({
  status: z.literal('ok'),
  clickhouse: z.enum(['embedded', 'http']),
  brokers: z.array(z.string()),
});

/**
 * How long the all-in-one may take to stop on SIGTERM/SIGINT (drain, then close; the broker and
 * the registry last) before it exits 1 anyway.
 */
export const STOP_DEADLINE_MS = 30_000;

export interface ShopfloorSystem {
  url: string;
  app: HttpApp;
  dedupe: DedupeRunner;
  projector: ProjectorService;
  /** The sensor-readings stream (webhook, anomaly processor, projector, resolution); undefined with SHOPFLOOR_SENSORS=0. */
  sensors: SensorService | undefined;
  /** Read access to the process's ClickHouse (what the query routes read). */
  clickhouse: ClickHouseReader;
  broker: LocalKafka | undefined;
  /** The codec of every topic value (Avro through the registry; see startSchemaRegistry). */
  codecs: ShopfloorCodecs;
  /** The read-only ClickHouse HTTP endpoint for BI tools, when SHOPFLOOR_BI_PORT is set. */
  bi: BiEndpoint | undefined;
  /** What GET /metrics answers: every service of the process in one registry. */
  metrics: ShopfloorMetrics;
  stop(): Promise<void>;
}

/**
 * The whole pipeline in one process: (local broker) → gateway → dedupe consumer → projector →
 * embedded ClickHouse → query API, with the HTTP API on one port. Stops what it started, in
 * reverse order, also when a later step fails.
 */
export async function startShopfloor(
  config: ShopfloorConfig,
  log: Logger,
  options: { demo?: boolean; watchParentPid?: number } = {},
): Promise<ShopfloorSystem> {
  const cleanups: (() => Promise<unknown>)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      await cleanup().catch((err) => log.warn({ err: (err as Error).message }, 'error while stopping'));
    }
  };
  try {
    // Auth off only on loopback without keys; any other address needs a bootstrap key (or refuses).
    const auth = await authAtStartup(config);
    let broker: LocalKafka | undefined;
    let brokers = config.kafka.brokers;
    if (config.kafka.localBroker) {
      log.info({ dataDir: config.dirs.kafka }, 'starting the local Kafka broker');
      broker = await startLocalKafka({
        dataDir: config.dirs.kafka,
        port: config.KAFKA_LOCAL_PORT,
        log: (line) => log.info(line),
        ...(options.watchParentPid ? { watchParentPid: options.watchParentPid } : {}),
      });
      brokers = broker.brokers;
      if (!broker.reused) cleanups.push(() => broker!.stop());
    }
    const kafka = createKafka({ brokers, clientId: 'shopfloor' });
    const sensorTopicNames = sensorTopics(config.SHOPFLOOR_TOPIC_PREFIX);
    const openStore = async () => {
      const store = await openClickHouse(config.clickhouse);
      cleanups.push(() => store.close());
      await migrate(store.writer);
      return store;
    };
    // The registry takes 20-50 s to start: it starts alongside the topics and ClickHouse, and all
    // three settle before anything that reads or writes records starts (or before stop() runs).
    const [registryStartup, topicsReady, store] = await Promise.allSettled([
      startSchemaRegistry(config, brokers, log, options.watchParentPid),
      ensureTopics(kafka, [
        ...shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS),
        ...sensorTopicSpecs(sensorTopicNames, config.SHOPFLOOR_SENSOR_PARTITIONS),
      ]),
      openStore(),
    ]);
    const started = registryStartup.status === 'fulfilled' ? registryStartup.value.started : undefined;
    if (started) cleanups.push(() => started.stop());
    for (const r of [registryStartup, topicsReady, store]) if (r.status === 'rejected') throw r.reason;
    const { codecs, url: registryUrl } = (registryStartup as PromiseFulfilledResult<SchemaRegistryStartup>)
      .value;
    const sensorCodecs = await registrySensorCodecs({
      url: registryUrl,
      topics: sensorTopicNames,
      log: (line, fields) => log.info(fields ?? {}, line),
    });
    const clickhouse = (store as PromiseFulfilledResult<Awaited<ReturnType<typeof openStore>>>).value;
    // The bootstrap key and every key of the key log, followed while the process runs.
    const keyStore = await followKeysInto(auth, config, { kafka, codec: codecs.keys, log });
    cleanups.push(() => keyStore.stop());
    await recoverProjectionSwitch(clickhouse.writer); // a rebuild cut short inside its switch
    const bi = config.bi
      ? await startBiEndpoint({ ...config.bi, dataDir: config.clickhouse.dataDir })
      : undefined;
    if (bi) {
      cleanups.push(() => bi.stop());
      log.info({ url: bi.url, user: config.bi?.user }, 'BI endpoint (read-only ClickHouse HTTP) listening');
    }

    await applyRequestedStateResetFor(config, { kafka, codecs, log }); // POST /admin/dedupe-state/reset
    const stores = lmdbStateStores(config.dirs.state);
    cleanups.push(() => stores.close());
    const metrics = createShopfloorMetrics();
    // Refuse to start on a log that is not the one the derived stores were built from.
    const derivedTopics = [config.topics.changes, config.topics.deadLetter];
    const sensors = config.SHOPFLOOR_SENSORS
      ? createSensorService(config, {
          kafka,
          codecs: sensorCodecs,
          writer: clickhouse.writer,
          reader: clickhouse.reader,
          log: log.child({ component: 'sensors' }),
          metrics: { sensor: metrics.sensor, projector: metrics.projectorOf('sensor') },
        })
      : undefined;
    await checkAll('Shopfloor', [
      ...(sensors
        ? [
            () =>
              checkProjectionAgainstLog({
                kafka,
                brokers,
                writer: clickhouse.writer,
                topics: sensors.projector.inputTopics,
                groupId: config.SHOPFLOOR_SENSOR_PROJECTOR_GROUP,
              }),
          ]
        : []),
      () =>
        checkProjectionAgainstLog({
          kafka,
          brokers,
          writer: clickhouse.writer,
          topics: derivedTopics,
          groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
        }),
      () =>
        checkStateAgainstLog({
          kafka,
          brokers,
          stores,
          stateDir: config.dirs.state,
          stateTopic: config.topics.state,
          partitions: config.SHOPFLOOR_PARTITIONS,
        }),
    ]);
    const dedupe = await createDedupeService(config, {
      kafka,
      codecs,
      stores,
      winnerLookup: clickHouseWinnerLookup(clickhouse.reader),
      log: log.child({ component: 'dedupe' }),
      metrics: metrics.dedupe,
    });
    cleanups.push(() => dedupe.stop());
    metrics.eventsProcessor.sampleRestoreProgress(() => dedupe.restoreProgress());

    // In one process the projector hands outcomes straight to the gateway's waiters.
    const gateway = await createGatewayService(config, {
      kafka,
      codecs,
      log: log.child({ component: 'gateway' }),
      outcomesFrom: 'in-process',
      metrics: metrics.gateway,
    });
    cleanups.push(() => gateway.stop());
    const projector = createProjectorService(config, {
      kafka,
      writer: clickhouse.writer,
      codecs,
      log: log.child({ component: 'projector' }),
      metrics: metrics.projector,
      onOutcomes: (records) => {
        for (const r of records) gateway.outcomes.ingest(r);
      },
    });
    cleanups.push(() => projector.stop());
    await projector.start();
    if (sensors) {
      cleanups.push(() => sensors.stop());
      await sensors.start();
    }

    const query = createQueryService(config, { reader: clickhouse.reader });
    const app = createHttpApp({
      bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
      limits: config.http,
      ...(keyStore.keys
        ? { keys: keyStore.keys, rateLimitPerMinute: config.SHOPFLOOR_RATE_LIMIT_PER_MINUTE }
        : {}),
      logger: log.child({ component: 'http' }, { level: 'warn' }),
    });
    await app.register(metricsRoutes, { metrics });
    await app.register(gateway.routes);
    await app.register(query.routes);
    // The metric-events stream (POST /events, /aggregates, ...): its own topics, processor and projector.
    const metricEvents = await createMetricEventsService(config, {
      kafka,
      brokers, // its state and projection are checked against the log, as the other streams' are
      registryUrl,
      clickhouse,
      log: log.child({ component: 'metric-events' }),
      metrics: { metricEvents: metrics.metricEvents, projector: metrics.projectorOf('metric-events') },
    });
    cleanups.push(() => metricEvents.stop());
    await app.register(metricEvents.routes);
    if (sensors) await app.register(sensors.routes);
    const dashboard = systemDashboardPorts(
      clickhouse.reader,
      kafka,
      [
        { groupId: config.SHOPFLOOR_DEDUPE_GROUP, topics: [config.topics.raw] },
        {
          groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
          topics: [config.topics.changes, config.topics.deadLetter],
        },
        ...(sensors
          ? [
              { groupId: config.SHOPFLOOR_SENSOR_GROUP, topics: [sensors.topics.raw] },
              {
                groupId: config.SHOPFLOOR_SENSOR_PROJECTOR_GROUP,
                topics: [...sensors.projector.inputTopics],
              },
            ]
          : []),
        ...metricEvents.consumerGroups,
      ],
      { sensors: sensors !== undefined, metricEvents: true },
    );
    cleanups.push(() => dashboard.close());
    metrics.sampleConsumerLag(dashboard.ports.consumerLag);
    await app.register(dashboardRoutes, { ports: dashboard.ports });
    // In a plugin, like every route, so the OpenAPI document (loaded first) sees it.
    await app.register(async (scope) => {
      scope.get('/health', { schema: { response: { 200: healthResponseSchema } } }, async () => ({
        status: 'ok' as const,
        clickhouse: clickhouse.mode,
        brokers,
      }));
    });
    await app.register(probeRoutes, {
      health: false,
      probes: {
        broker: brokerReachable(brokers),
        topics: topicsPresent(kafka, Object.values(config.topics)),
        clickhouse: async () => {
          const ping = await clickhouse.ping();
          if (!ping.ok) throw ping.error;
        },
        // The dedupe member joined its group and restored the state of every partition it holds.
        dedupe: restoreDone(() => dedupe.restoreProgress()),
        ...(sensors && {
          // The sensor member joined its group and restored the state of every partition it holds.
          sensors: restoreDone(
            () => sensors.runner()?.restoreProgress() ?? { joined: false, assigned: [], pending: [] },
          ),
        }),
      },
    });
    await app.register(internalStatusRoutes, {
      reader: clickhouse.reader,
      state: { stores, assigned: () => dedupe.assigned() },
    });
    await app.register(rebuildRoutes, {
      job: createProjectorRebuildJob(config, {
        kafka,
        writer: clickhouse.writer,
        projector,
        codecs,
        log,
        // Every projection this process owns is rebuilt from its log (POST /admin/rebuild?streams=).
        streams: [...(sensors ? [sensors.rebuildStream] : []), metricEvents.rebuildStream],
      }),
    });
    await app.register(dedupeStateRoutes, { stateDir: config.dirs.state });
    await app.listen({ host: config.HOST, port: config.PORT });
    cleanups.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}`;

    if (options.demo ?? config.SHOPFLOOR_DEMO) {
      const demo = startDemoMachines({ baseUrl: url, log: log.child({ component: 'demo' }) });
      cleanups.push(async () => demo.stop());
    }
    return {
      url,
      app,
      dedupe,
      projector,
      sensors,
      clickhouse: clickhouse.reader,
      broker,
      codecs,
      bi,
      metrics,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
