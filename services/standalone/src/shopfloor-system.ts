import { migrate, openClickHouse } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import { startDedupeRunner, type DedupeRunner } from '@shopfloor/consumer';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createGatewayService } from '@shopfloor/gateway';
import { createHttpApp, type HttpApp } from '@shopfloor/http-kit';
import { createKafka, ensureTopics, jsonCodecs, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { startLocalKafka, type LocalKafka } from '@shopfloor/local-kafka';
import { clickHouseWinnerLookup, startProjector, type Projector } from '@shopfloor/projector';
import { createQueryService } from '@shopfloor/query';
import type { Logger } from 'pino';
import { z } from 'zod';
import { startDemoMachines } from './demo-machines.ts';

const healthResponseSchema = z.object({
  status: z.literal('ok'),
  clickhouse: z.enum(['embedded', 'http']),
  brokers: z.array(z.string()),
});

export interface ShopfloorSystem {
  url: string;
  app: HttpApp;
  dedupe: DedupeRunner;
  projector: Projector;
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

    const clickhouse = await openClickHouse(config.clickhouse);
    cleanups.push(() => clickhouse.close());
    await migrate(clickhouse.writer);

    const stores = lmdbStateStores(config.dirs.state);
    cleanups.push(() => stores.close());
    const dedupe = await startDedupeRunner({
      kafka,
      stores,
      topics: config.topics,
      groupId: config.SHOPFLOOR_DEDUPE_GROUP,
      partitions: config.SHOPFLOOR_PARTITIONS,
      badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      log: log.child({ component: 'dedupe' }),
      ...(config.stateHorizon
        ? { horizon: { ...config.stateHorizon, lookup: clickHouseWinnerLookup(clickhouse.reader) } }
        : {}),
    });
    cleanups.push(() => dedupe.stop());

    // In one process the projector hands outcomes straight to the gateway's waiters.
    const gateway = await createGatewayService(config, {
      kafka,
      codecs: jsonCodecs(),
      log: log.child({ component: 'gateway' }),
      outcomesFrom: 'in-process',
    });
    cleanups.push(() => gateway.stop());
    const projector = await startProjector({
      kafka,
      writer: clickhouse.writer,
      topics: config.topics,
      groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
      sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
      log: log.child({ component: 'projector' }),
      onOutcomes: (records) => {
        for (const r of records) gateway.outcomes.ingest(r);
      },
    });
    cleanups.push(() => projector.stop());

    const query = createQueryService(config, { reader: clickhouse.reader });
    const app = createHttpApp({
      bodyLimit: config.SHOPFLOOR_MAX_BODY_BYTES,
      logger: log.child({ component: 'http' }, { level: 'warn' }),
    });
    await app.register(gateway.routes);
    await app.register(query.routes);
    app.get('/health', { schema: { response: { 200: healthResponseSchema } } }, async () => ({
      status: 'ok' as const,
      clickhouse: clickhouse.mode,
      brokers,
    }));
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
