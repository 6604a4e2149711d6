import { migrate, openClickHouse, recoverProjectionSwitch } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { applyRequestedStateResetFor, createDedupeService, type DedupeRunner } from '@shopfloor/consumer';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { gatewayRoutes, kafkaBatchPublisher, OutcomeTracker } from '@shopfloor/gateway';
import { installErrorHandling } from '@shopfloor/http-kit';
import {
  createIdempotentProducer,
  createKafka,
  ensureTopics,
  jsonCodecs,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { startLocalKafka, type LocalKafka } from '@shopfloor/local-kafka';
import {
  clickHouseWinnerLookup,
  createProjectorRebuildJob,
  createProjectorService,
  type ProjectorService,
  rebuildRoutes,
} from '@shopfloor/projector';
import { queryRoutes } from '@shopfloor/query';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { dedupeStateRoutes } from './dedupe-state-routes.ts';
import { startDemoMachines } from './demo-machines.ts';

export interface ShopfloorSystem {
  url: string;
  app: FastifyInstance;
  dedupe: DedupeRunner;
  projector: ProjectorService;
  broker: LocalKafka | undefined;
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
    await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));

    const codecs = jsonCodecs();
    const clickhouse = await openClickHouse(config.clickhouse);
    cleanups.push(() => clickhouse.close());
    await migrate(clickhouse.writer);
    await recoverProjectionSwitch(clickhouse.writer); // a rebuild cut short inside its switch

    await applyRequestedStateResetFor(config, { kafka, codecs, log }); // POST /admin/dedupe-state/reset
    const stores = lmdbStateStores(config.dirs.state);
    cleanups.push(() => stores.close());
    const dedupe = await createDedupeService(config, {
      kafka,
      codecs,
      stores,
      winnerLookup: clickHouseWinnerLookup(clickhouse.reader),
      log: log.child({ component: 'dedupe' }),
    });
    cleanups.push(() => dedupe.stop());

    // In one process the projector hands outcomes straight to the gateway's waiters.
    const outcomes = new OutcomeTracker();
    const projector = createProjectorService(config, {
      kafka,
      writer: clickhouse.writer,
      codecs,
      log: log.child({ component: 'projector' }),
      onOutcomes: (records) => {
        for (const r of records) outcomes.ingest(r);
      },
    });
    cleanups.push(() => projector.stop());
    await projector.start();

    const producer = createIdempotentProducer(kafka);
    await producer.connect();
    cleanups.push(() => producer.disconnect());

    const app = Fastify({
      bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
      loggerInstance: log.child({ component: 'http' }, { level: 'warn' }),
    }) as unknown as FastifyInstance;
    installErrorHandling(app);
    await app.register(gatewayRoutes, {
      maxBatchEvents: config.SHOPFLOOR_MAX_BATCH_EVENTS,
      syncTimeoutMs: config.SHOPFLOOR_SYNC_TIMEOUT_MS,
      maxInflightEvents: config.SHOPFLOOR_MAX_INFLIGHT_EVENTS,
      publisher: kafkaBatchPublisher(producer, config.topics, config.SHOPFLOOR_KAFKA_SEND_TIMEOUT_MS),
      outcomes,
    });
    await app.register(queryRoutes, { reader: clickhouse.reader });
    await app.register(rebuildRoutes, {
      job: createProjectorRebuildJob(config, { kafka, writer: clickhouse.writer, projector, codecs, log }),
    });
    await app.register(dedupeStateRoutes, { stateDir: config.dirs.state });
    app.get('/health', async () => ({ status: 'ok', clickhouse: clickhouse.mode, brokers }));
    await app.listen({ host: config.HOST, port: config.PORT });
    cleanups.push(() => app.close());
    const address = app.server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    const url = `http://${config.HOST}:${port}`;

    if (options.demo ?? config.SHOPFLOOR_DEMO) {
      const demo = startDemoMachines({ baseUrl: url, log: log.child({ component: 'demo' }) });
      cleanups.push(async () => demo.stop());
    }
    return { url, app, dedupe, projector, broker, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
