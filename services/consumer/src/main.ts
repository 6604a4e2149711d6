import { loadConfig, stopOnSignals } from '@shopfloor/config';
import { lmdbStateStores } from '@shopfloor/dedupe';
import { createKafka, ensureTopics, jsonCodecs, shopfloorTopicSpecs } from '@shopfloor/kafka';
import { pino } from 'pino';
import { createDedupeService } from './dedupe-service.ts';
import { httpWinnerLookup } from './http-winner-lookup.ts';
import { applyRequestedStateResetFor } from './state-reset.ts';

// One dedupe consumer process. Run several (each with its own SHOPFLOOR_INSTANCE_ID) to scale out.
const config = loadConfig();
const log = pino({ name: `consumer:${config.SHOPFLOOR_INSTANCE_ID}`, level: config.LOG_LEVEL });
const kafka = createKafka({
  brokers: config.kafka.brokers,
  clientId: `shopfloor-consumer-${config.SHOPFLOOR_INSTANCE_ID}`,
});
await ensureTopics(kafka, shopfloorTopicSpecs(config.topics, config.SHOPFLOOR_PARTITIONS));
// An operator's `POST /admin/dedupe-state/reset` (or requestStateReset) is applied before the store opens.
const reset = await applyRequestedStateResetFor(config, { kafka, codecs: jsonCodecs(), log });
if (reset)
  log.warn({ from: reset }, 'dedupe state reset as requested: every partition restores from offset 0');
const stores = lmdbStateStores(config.dirs.state);
const runner = await createDedupeService(config, {
  kafka,
  codecs: jsonCodecs(),
  stores,
  ...(config.SHOPFLOOR_WINNER_LOOKUP_URL
    ? { winnerLookup: httpWinnerLookup(config.SHOPFLOOR_WINNER_LOOKUP_URL) }
    : {}),
  log,
}).catch(async (err: Error) => {
  log.fatal({ err }, 'dedupe consumer could not start');
  await stores.close();
  process.exit(2);
});
log.info({ brokers: config.kafka.brokers, stateDir: config.dirs.state }, 'dedupe consumer started');

// A process whose consumer stopped for good (the `stop` policy, a fatal failure) exits, so that
// whoever supervises it sees it; its partitions move to the other members.
void runner.stopped.then(async () => {
  await stores.close();
  process.exit(1);
});

stopOnSignals(
  log,
  async () => {
    await runner.stop();
    await stores.close();
  },
  20_000,
);
