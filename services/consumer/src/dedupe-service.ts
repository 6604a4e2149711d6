import type { ShopfloorConfig } from '@shopfloor/config';
import type { StateStoreFactory, WinnerLookup } from '@shopfloor/dedupe';
import type { KafkaClient, ShopfloorCodecs } from '@shopfloor/kafka';
import type { DedupeMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { type DedupeRunner, type DedupeRunnerOptions, startDedupeRunner } from './dedupe-runner.ts';

/** The settings the dedupe consumers read. */
export type DedupeServiceConfig = Pick<
  ShopfloorConfig,
  | 'topics'
  | 'stateHorizon'
  | 'SHOPFLOOR_DEDUPE_GROUP'
  | 'SHOPFLOOR_PARTITIONS'
  | 'SHOPFLOOR_BAD_RECORD_POLICY'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
>;

export interface DedupeServiceDeps {
  kafka: KafkaClient;
  codecs: ShopfloorCodecs;
  stores: StateStoreFactory;
  /** Where winners past the state horizon are found: required when the horizon is on. */
  winnerLookup?: WinnerLookup;
  log: Logger;
  /** Where the member reports what it does (Prometheus): `createShopfloorMetrics().dedupe`. */
  metrics?: DedupeMetrics;
  /**
   * The process's state directory (that of its persistent store): the member id kept there makes
   * its transactional id stable across restarts (see member-id.ts). Unset (in-memory stores, tests):
   * a new id at every start.
   */
  memberIdDir?: string;
}

/** The runner's options from the configuration; fails fast on a horizon with nowhere to look up. */
export function dedupeRunnerOptions(
  config: DedupeServiceConfig,
  deps: DedupeServiceDeps,
): DedupeRunnerOptions {
  const { stateHorizon } = config;
  if (stateHorizon && !deps.winnerLookup) {
    throw new Error(
      'SHOPFLOOR_STATE_HORIZON_SECONDS needs a winner lookup (SHOPFLOOR_WINNER_LOOKUP_URL, the projector, for a separate consumer process) to find winners past the horizon',
    );
  }
  return {
    kafka: deps.kafka,
    codecs: deps.codecs,
    stores: deps.stores,
    topics: config.topics,
    groupId: config.SHOPFLOOR_DEDUPE_GROUP,
    partitions: config.SHOPFLOOR_PARTITIONS,
    badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
    sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
    log: deps.log,
    ...(deps.metrics ? { metrics: deps.metrics } : {}),
    ...(deps.memberIdDir ? { memberIdDir: deps.memberIdDir } : {}),
    ...(stateHorizon && deps.winnerLookup ? { horizon: { ...stateHorizon, lookup: deps.winnerLookup } } : {}),
  };
}

/**
 * The dedupe consumer service, wired once: its own process (main.ts) and the all-in-one process
 * both start it from the configuration and the adapters they built.
 */
export function createDedupeService(
  config: DedupeServiceConfig,
  deps: DedupeServiceDeps,
): Promise<DedupeRunner> {
  return startDedupeRunner(dedupeRunnerOptions(config, deps));
}
