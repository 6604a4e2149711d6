import type { ClickHouseWriter } from '@shopfloor/clickhouse';
import type { ShopfloorConfig } from '@shopfloor/config';
import type { OutcomeRecord } from '@shopfloor/contracts';
import { createGroupProjector, type GroupProjector, type OutcomeDemand } from '@shopfloor/group-projector';
import type { KafkaClient, RetryOptions, ShopfloorCodecs } from '@shopfloor/kafka';
import type { ProjectorMetrics } from '@shopfloor/metrics';
import type { Logger } from 'pino';
import { createApplyGroupStep } from './apply-group-step.ts';
import { createDecodeGroupStep } from './decode-group-step.ts';

export type ProjectorConfig = Pick<
  ShopfloorConfig,
  | 'topics'
  | 'SHOPFLOOR_PROJECTOR_GROUP'
  | 'SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS'
  | 'SHOPFLOOR_BAD_RECORD_POLICY'
>;

export type ProjectorDeps = {
  kafka: KafkaClient;
  writer: ClickHouseWriter;
  codecs: ShopfloorCodecs;
  log: Logger;
  /** Called once a group's outcomes are visible in ClickHouse (the all-in-one process wakes waiters). */
  onOutcomes?: ((outcomes: OutcomeRecord[]) => void) | undefined;
  /** How writes are retried; the default rides out about 35 s of an outage. */
  retry?: RetryOptions | undefined;
  /** Where inserts and groups are reported (Prometheus): `createShopfloorMetrics().projector`. */
  metrics?: ProjectorMetrics | undefined;
  /** Where the member id (its static group instance id) is kept: config.dirs.state. */
  memberIdDir?: string | undefined;
  /**
   * Who waits for an outcome in this process (the all-in-one gateway's tracker): while exactly one
   * synchronous request waits, the fetches are answered at the first record instead of held for 1 MiB.
   */
  demand?: Pick<OutcomeDemand, 'awaited' | 'onAwaited' | 'waiting'> | undefined;
};

export type ProjectorService = GroupProjector;

/**
 * The projector: events.change-batches (winners and retractions) and events.dlq into ClickHouse, exactly
 * once (README "Guarantees", 4). The wiring of its steps, written once for its own main and for
 * the all-in-one process.
 */
export function createProjectorService(config: ProjectorConfig, deps: ProjectorDeps): ProjectorService {
  const { kafka, writer, codecs, log } = deps;
  const topics = config.topics;
  return createGroupProjector({
    kafka,
    writer,
    log,
    name: 'events',
    groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
    sessionTimeoutMs: config.SHOPFLOOR_CONSUMER_SESSION_TIMEOUT_MS,
    inputTopics: [topics.changes, topics.deadLetter],
    publishes: true,
    retry: deps.retry,
    metrics: deps.metrics,
    memberIdDir: deps.memberIdDir,
    demand: deps.demand,
    createApplyGroup: (io) =>
      createApplyGroupStep({
        writer,
        decodeGroup: createDecodeGroupStep({
          codecs,
          topics,
          badRecordPolicy: config.SHOPFLOOR_BAD_RECORD_POLICY,
          log,
        }),
        codecs,
        topics,
        ...io,
        log,
        metrics: deps.metrics,
        onOutcomes: deps.onOutcomes,
      }),
  });
}
