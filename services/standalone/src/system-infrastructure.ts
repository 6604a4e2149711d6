import { type BiEndpoint, startBiEndpoint } from '@shopfloor/bi-endpoint';
import {
  type ClickHouseHandle,
  migrate,
  openClickHouse,
  recoverProjectionSwitch,
  reportDedupRepairs,
} from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import {
  createKafka,
  ensureTopics,
  type KafkaClient,
  type ShopfloorCodecs,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { authAtStartup, followKeysInto, type KeyStore } from '@shopfloor/key-log';
import { type LocalKafka, startLocalKafka } from '@shopfloor/local-kafka';
import { waitForConfiguredBroker } from '@shopfloor/ops';
import {
  registrySensorCodecs,
  type SensorCodecs,
  sensorTopicSpecsOf,
  sensorTopics,
} from '@shopfloor/sensors-service';
import type { Logger } from 'pino';
import type { CleanupStack } from './cleanup-stack.ts';
import { type SchemaRegistryStartup, startSchemaRegistry } from './schema-registry-startup.ts';

/** What every stream of the all-in-one process stands on. */
export interface SystemInfrastructure {
  /** The local broker this process started or reused; undefined with external brokers. */
  broker: LocalKafka | undefined;
  brokers: string[];
  kafka: KafkaClient;
  codecs: ShopfloorCodecs;
  registryUrl: string;
  sensorCodecs: SensorCodecs;
  clickhouse: ClickHouseHandle;
  /** The bootstrap key and every key of the key log, followed while the process runs. */
  keyStore: KeyStore;
  /** The read-only ClickHouse HTTP endpoint for BI tools, when SHOPFLOOR_BI_PORT is set. */
  bi: BiEndpoint | undefined;
}

/**
 * The auth rule, the (local) broker, the schema registry, the topics, ClickHouse (migrated), the
 * key log and the BI endpoint. What it starts goes on `cleanups`.
 */
export async function startSystemInfrastructure(
  config: ShopfloorConfig,
  log: Logger,
  cleanups: CleanupStack,
  watchParentPid: number | undefined,
): Promise<SystemInfrastructure> {
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
      ...(watchParentPid ? { watchParentPid } : {}),
    });
    brokers = broker.brokers;
    if (!broker.reused) cleanups.push(() => broker!.stop());
  } else {
    await waitForConfiguredBroker(log, config);
  }
  const kafka = createKafka({ brokers, clientId: 'shopfloor' });
  const sensorTopicNames = sensorTopics(config.SHOPFLOOR_TOPIC_PREFIX);
  const openStore = async () => {
    const store = await openClickHouse(config.clickhouse);
    reportDedupRepairs(store.dedupRepairs, (fields, message) => log.warn(fields, message));
    cleanups.push(() => store.close());
    await migrate(store.writer);
    return store;
  };
  // The registry takes 8-30 s to start: it starts alongside the topics and ClickHouse, and all
  // three settle before anything that reads or writes records starts (or before stop() runs).
  const [registryStartup, topicsReady, store] = await Promise.allSettled([
    startSchemaRegistry(config, brokers, log, watchParentPid),
    ensureTopics(kafka, [
      ...shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS),
      ...sensorTopicSpecsOf(sensorTopicNames, config),
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
  const clickhouse = (store as PromiseFulfilledResult<ClickHouseHandle>).value;
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
  return {
    broker,
    brokers,
    kafka,
    codecs,
    registryUrl,
    sensorCodecs,
    clickhouse,
    keyStore,
    bi,
  };
}
