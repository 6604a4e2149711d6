import type { ShopfloorConfig } from '@shopfloor/config';
import {
  createKafka,
  ensureTopics,
  type KafkaClient,
  kafkaRequestCounts,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, type KeyStore } from '@shopfloor/key-log';
import { createShopfloorMetrics, type ShopfloorMetrics } from '@shopfloor/metrics';
import { brokerAtStartup, codecsAtStartup, startOrExit } from '@shopfloor/ops';
import type { Logger } from 'pino';
import { createGatewayService, type GatewayDeps, type GatewayService } from './gateway-service.ts';

export interface GatewayProcessParts {
  kafka: KafkaClient;
  keyStore: KeyStore;
  metrics: ShopfloorMetrics;
  gateway: GatewayService;
}

/**
 * What a process whose job is the gateway starts before it serves, in this order: the start-up
 * rule (a non-loopback HOST without a bootstrap key starts nothing), every schema registered, the
 * topics (`ensureTopics`, where this process is the first to need them), the key log followed, the
 * process's metrics and the gateway service. The gateway main and the split topology's gateway
 * process both start this way; a step that fails exits (startOrExit).
 */
export async function startGatewayProcessParts(
  config: ShopfloorConfig,
  log: Logger,
  options: { outcomesFrom: GatewayDeps['outcomesFrom']; ensureTopics: boolean },
): Promise<GatewayProcessParts> {
  const auth = await startOrExit(log, 'gateway', authAtStartup(config));
  // The broker first: the schema registry keeps its schemas on it.
  await brokerAtStartup(log, 'gateway', config);
  const codecs = await codecsAtStartup(log, 'gateway', config);
  const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'shopfloor-gateway' });
  if (options.ensureTopics)
    await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
  const keyStore = await followKeysInto(auth, config, { kafka, codec: codecs.keys, log });
  const metrics = createShopfloorMetrics();
  metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
  const gateway = await createGatewayService(config, {
    kafka,
    codecs,
    log,
    outcomesFrom: options.outcomesFrom,
    metrics: metrics.gateway,
  });
  return { kafka, keyStore, metrics, gateway };
}
