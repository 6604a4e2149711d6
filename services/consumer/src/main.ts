import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createKafka, ensureTopics, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { pino } from 'pino';
import { startDedupeRunner } from './dedupe-runner.ts';
import { httpWinnerLookup } from './http-winner-lookup.ts';

// One dedupe consumer process. Run several (each with its own SHOPFLOOR_INSTANCE_ID) to scale out.
const config = loadConfig();
const log = pino({ name: `consumer:${config.SHOPFLOOR_INSTANCE_ID}`, level: config.LOG_LEVEL });
const kafka = createKafka({
  brokers: config.kafka.brokers,
  clientId: `shopfloor-consumer-${config.SHOPFLOOR_INSTANCE_ID}`,
});
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
if (config.stateHorizon && !config.SHOPFLOOR_WINNER_LOOKUP_URL) {
  log.fatal(
    'SHOPFLOOR_STATE_HORIZON_SECONDS needs SHOPFLOOR_WINNER_LOOKUP_URL (the projector) to find winners past the horizon',
  );
  process.exit(2);
}
const stores = lmdbStateStores(config.dirs.state);
const runner = await startDedupeRunner({
  kafka,
  stores,
  topics: config.topics,
  groupId: config.SHOPFLOOR_DEDUPE_GROUP,
  partitions: config.SHOPFLOOR_PARTITIONS,
  badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
  sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
  log,
  ...(config.stateHorizon && config.SHOPFLOOR_WINNER_LOOKUP_URL
    ? { horizon: { ...config.stateHorizon, lookup: httpWinnerLookup(config.SHOPFLOOR_WINNER_LOOKUP_URL) } }
    : {}),
});
log.info({ brokers: config.kafka.brokers, stateDir: config.dirs.state }, 'dedupe consumer started');

stopOnSignals(
  log,
  async () => {
    await runner.stop();
    await stores.close();
  },
  20_000,
);
