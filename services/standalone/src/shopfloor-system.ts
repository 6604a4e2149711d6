import type { BiEndpoint } from '@shopfloor/bi-endpoint';
import type { ClickHouseReader } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { applyRequestedStateResetFor, type DedupeRunner } from '@shopfloor/consumer';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { firstMemberStop, type MemberStop, type ShopfloorCodecs } from '@shopfloor/kafka';
import { httpAuthOf } from '@shopfloor/key-log';
import type { LocalKafka } from '@shopfloor/local-kafka';
import { createMetricEventsService } from '@shopfloor/metric-events-service';
import { createShopfloorMetrics, metricsRoutes, type ShopfloorMetrics } from '@shopfloor/metrics';
import type { ProjectorService } from '@shopfloor/projector';
import { createQueryService } from '@shopfloor/query';
import { createSensorService, type SensorService } from '@shopfloor/sensors-service';
import type { Logger } from 'pino';
import { cleanupStack } from './cleanup-stack.ts';
import { startDemoTraffic } from './demo-traffic.ts';
import { type ExternalGateway, startEventStream } from './event-stream.ts';
import { checkDerivedStoresAgainstLogs } from './log-identity-checks.ts';
import { type QueryThread, startQueryThread } from './query-thread.ts';
import { startSystemInfrastructure } from './system-infrastructure.ts';
import { registerSystemRoutes } from './system-routes.ts';

export { STOP_DEADLINE_MS } from './stop-deadline.ts';

export interface ShopfloorSystem {
  /** Where the HTTP API answers (with `externalGateway`: the loopback port the gateway forwards to). */
  url: string;
  app: HttpApp;
  dedupe: DedupeRunner;
  projector: ProjectorService;
  /** The sensor-readings stream (webhook, anomaly processor, projector, resolution); undefined with SHOPFLOOR_SENSORS=0. */
  sensors: SensorService | undefined;
  /** Read access to the process's ClickHouse (what the query routes read). */
  clickhouse: ClickHouseReader;
  broker: LocalKafka | undefined;
  /** The brokers the process uses (the local broker's, or KAFKA_BROKERS). */
  brokers: string[];
  /** The schema registry's Confluent-compatible API (the local one this process started, or SCHEMA_REGISTRY_URL). */
  registryUrl: string;
  /** The codec of every topic value (Avro through the registry; see startSchemaRegistry). */
  codecs: ShopfloorCodecs;
  /** The read-only ClickHouse HTTP endpoint for BI tools, when SHOPFLOOR_BI_PORT is set. */
  bi: BiEndpoint | undefined;
  /** What GET /metrics answers: every service of the process in one registry. */
  metrics: ShopfloorMetrics;
  /**
   * Split topology with SHOPFLOOR_QUERY_THREAD: the query thread (query-thread.ts) and the routes
   * it answers, for the gateway process to send them there. Undefined otherwise.
   */
  queryThread: Pick<QueryThread, 'url' | 'routes'> | undefined;
  /** Settles once a consumer-group member of any stream stopped for good (see exitWhenAMemberStops). */
  stopped: Promise<MemberStop>;
  stop(): Promise<void>;
}

/**
 * The whole pipeline in one process: (local broker) → gateway → dedupe consumer → projector →
 * embedded ClickHouse → query API, with the sensor and metric-events streams beside it and the
 * HTTP API on one port. Stops what it started, in reverse order, also when a later step fails.
 */
export async function startShopfloor(
  config: ShopfloorConfig,
  log: Logger,
  options: {
    demo?: boolean;
    watchParentPid?: number;
    /**
     * The gateway runs in another process (split topology): no POST /events/batch here, outcomes
     * go to `onOutcomes`, and the HTTP API listens on an ephemeral loopback port for that process
     * to forward the other routes to (HOST and PORT are the gateway's).
     */
    externalGateway?: ExternalGateway;
  } = {},
): Promise<ShopfloorSystem> {
  const cleanups = cleanupStack(log);
  try {
    const infra = await startSystemInfrastructure(config, log, cleanups, options.watchParentPid);
    const { kafka, codecs, registryUrl, clickhouse, keyStore } = infra;
    await applyRequestedStateResetFor(config, { kafka, codecs, log }); // POST /admin/dedupe-state/reset
    const stores = lmdbStateStores(config.dirs.state);
    cleanups.push(() => stores.close());
    const metrics = createShopfloorMetrics();
    const sensors = config.SHOPFLOOR_SENSORS
      ? createSensorService(config, {
          kafka,
          codecs: infra.sensorCodecs,
          writer: clickhouse.writer,
          reader: clickhouse.reader,
          log: log.child({ stream: 'sensors' }),
          metrics: {
            sensor: metrics.sensor,
            projector: metrics.projectorOf('sensor'),
            alertProjector: metrics.projectorOf('sensor-alerts'),
          },
        })
      : undefined;
    await checkDerivedStoresAgainstLogs(config, infra, stores, sensors);
    const events = await startEventStream(config, infra, {
      stores,
      metrics,
      log,
      cleanups,
      externalGateway: options.externalGateway,
    });
    if (sensors) {
      cleanups.push(() => sensors.stop());
      await sensors.start();
    }

    const query = createQueryService(config, { reader: clickhouse.reader });
    const app = createHttpApp({
      bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
      limits: config.http,
      ...httpAuthOf(keyStore, config),
      logger: log.child({ component: 'http' }, { level: 'warn' }),
    });
    await app.register(metricsRoutes, { metrics });
    if (events.gateway) await app.register(events.gateway.routes);
    await app.register(query.routes);
    // The metric-events stream (POST /events, /aggregates, ...): its own topics, processor and projector.
    const metricEvents = await createMetricEventsService(config, {
      kafka,
      brokers: infra.brokers, // its state and projection are checked against the log, as the other streams' are
      registryUrl,
      clickhouse,
      log: log.child({ stream: 'metric-events' }),
      metrics: { metricEvents: metrics.metricEvents, projector: metrics.projectorOf('metric-events') },
    });
    cleanups.push(() => metricEvents.stop());
    await app.register(metricEvents.routes);
    if (sensors) await app.register(sensors.routes);
    await registerSystemRoutes(app, config, {
      infra,
      events,
      sensors,
      metricEvents,
      stores,
      metrics,
      log,
      cleanups,
    });
    await app.listen(
      options.externalGateway ? { host: '127.0.0.1', port: 0 } : { host: config.HOST, port: config.PORT },
    );
    cleanups.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${options.externalGateway ? '127.0.0.1' : config.HOST}:${port}`;

    // Split: the query routes get a thread of their own (the gateway process sends them there);
    // it reads the engine opened and migrated above, through the brokers and registry found there.
    const queryThread =
      options.externalGateway && config.SHOPFLOOR_QUERY_THREAD
        ? await startQueryThread(
            {
              ...config,
              kafka: { ...config.kafka, brokers: infra.brokers },
              schemaRegistry: { ...config.schemaRegistry, url: registryUrl },
            },
            log,
            (request) => metrics.httpRequest(request),
          )
        : undefined;
    if (queryThread) cleanups.push(() => queryThread.close());

    // Split: the demo posts through the gateway process, so the supervisor starts it.
    if (!options.externalGateway && (options.demo ?? config.SHOPFLOOR_DEMO)) {
      const demo = startDemoTraffic({
        baseUrl: url,
        log: log.child({ component: 'demo' }),
        sensors: sensors !== undefined,
      });
      cleanups.push(async () => demo.stop());
    }
    return {
      url,
      app,
      dedupe: events.dedupe,
      projector: events.projector,
      sensors,
      clickhouse: clickhouse.reader,
      broker: infra.broker,
      brokers: infra.brokers,
      registryUrl,
      codecs,
      bi: infra.bi,
      metrics,
      queryThread,
      stopped: Promise.race([
        firstMemberStop({ 'dedupe consumer': events.dedupe.stopped, projector: events.projector.stopped }),
        ...(events.gateway ? [events.gateway.stopped] : []),
        ...(sensors ? [sensors.stopped] : []),
        metricEvents.stopped,
        keyStore.stopped,
        ...(queryThread ? [queryThread.stopped.then((reason) => ({ member: 'query thread', reason }))] : []),
      ]),
      stop: cleanups.stop,
    };
  } catch (err) {
    await cleanups.stop();
    throw err;
  }
}
