import { readBootstrapKey } from '@shopfloor/auth';
import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createHttpApp } from '@shopfloor/http-kit';
import {
  createConsumerLagReader,
  createKafka,
  ensureTopics,
  firstMemberStop,
  kafkaRequestCounts,
  shopfloorTopicSpecs,
} from '@shopfloor/kafka';
import { createShopfloorMetrics, metricsRoutes } from '@shopfloor/metrics';
import {
  brokerAtStartup,
  brokerReachable,
  checkStateAgainstLog,
  codecsAtStartup,
  createLogger,
  exitWhenAMemberStops,
  internalStatusRoutes,
  probeRoutes,
  restoreDone,
  startOrExit,
  topicsPresent,
} from '@shopfloor/ops';
import { createDedupeService } from './dedupe-service.ts';
import { httpWinnerLookup } from './http-winner-lookup.ts';
import { applyRequestedStateResetFor } from './state-reset.ts';

// One dedupe consumer process. Run several (each with its own SHOPFLOOR_INSTANCE_ID) to scale out.
const config = loadConfig();
const log = createLogger({ name: `consumer:${config.SHOPFLOOR_INSTANCE_ID}`, level: config.LOG_LEVEL });
// The broker first: the schema registry keeps its schemas on it.
await brokerAtStartup(log, 'dedupe consumer', config);
const codecs = await codecsAtStartup(log, 'dedupe consumer', config);
const kafka = createKafka({
  brokers: config.kafka.brokers,
  clientId: `shopfloor-consumer-${config.SHOPFLOOR_INSTANCE_ID}`,
});
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
// An operator's `POST /admin/dedupe-state/reset` (or requestStateReset) is applied before the store opens.
const reset = await applyRequestedStateResetFor(config, { kafka, codecs, log });
if (reset)
  log.warn({ from: reset }, 'dedupe state reset as requested: every partition restores from offset 0');
const stores = lmdbStateStores(config.dirs.state);
await startOrExit(
  log,
  'dedupe consumer',
  checkStateAgainstLog({
    kafka,
    brokers: config.kafka.brokers,
    stores,
    stateDir: config.dirs.state,
    stateTopic: config.topics.state,
    partitions: config.SHOPFLOOR_PARTITIONS,
  }),
);
const metrics = createShopfloorMetrics();
const runner = await createDedupeService(config, {
  kafka,
  codecs,
  stores,
  memberIdDir: config.dirs.state,
  metrics: metrics.dedupe,
  ...(config.SHOPFLOOR_WINNER_LOOKUP_URL
    ? {
        winnerLookup: httpWinnerLookup(
          config.SHOPFLOOR_WINNER_LOOKUP_URL,
          undefined,
          readBootstrapKey({
            ...(config.SHOPFLOOR_BOOTSTRAP_KEY ? { key: config.SHOPFLOOR_BOOTSTRAP_KEY } : {}),
            ...(config.SHOPFLOOR_BOOTSTRAP_KEY_FILE ? { file: config.SHOPFLOOR_BOOTSTRAP_KEY_FILE } : {}),
          }),
        ),
      }
    : {}),
  log,
}).catch(async (err: Error) => {
  log.fatal({ err }, 'dedupe consumer could not start');
  await stores.close();
  process.exit(2);
});
const lag = createConsumerLagReader(kafka, [
  { groupId: config.SHOPFLOOR_DEDUPE_GROUP, topics: [config.topics.raw] },
]);
metrics.sampleConsumerLag(() => lag.read());
metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
// /health, /ready and /metrics only (the consumer serves no API: no OpenAPI document, no aliases).
const probes = createHttpApp({ limits: config.http, openapi: false, aliasPrefix: '' });
await probes.register(metricsRoutes, { metrics });
await probes.register(probeRoutes, {
  probes: {
    broker: brokerReachable(config.kafka.brokers),
    topics: topicsPresent(kafka, [config.topics.raw, config.topics.state, config.topics.changes]),
    // Joined the group, and every assigned partition's state restored (again after a rebalance).
    restore: restoreDone(() => runner.restoreProgress()),
  },
});
await probes.register(internalStatusRoutes, { state: { stores, assigned: () => runner.assigned() } });
const url = await probes.listen({ host: config.HOST, port: config.PORT });
log.info({ brokers: config.kafka.brokers, stateDir: config.dirs.state, url }, 'dedupe consumer started');

const shutdown = stopOnSignals(
  log,
  async () => {
    await probes.close();
    await lag.close();
    await runner.stop();
    await stores.close();
  },
  20_000,
);
// A consumer stopped for good (the `stop` policy, a fatal failure): the process exits 1, so that
// whoever supervises it sees it; its partitions move to the other members.
exitWhenAMemberStops(log, [firstMemberStop({ 'dedupe consumer': runner.stopped })], shutdown);
