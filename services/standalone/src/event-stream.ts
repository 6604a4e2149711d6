import type { ShopfloorConfig } from '@shopfloor/config';
import { createDedupeService, type DedupeRunner } from '@shopfloor/consumer';
import type { OutcomeRecord } from '@shopfloor/contracts';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import { createGatewayService, type GatewayService } from '@shopfloor/gateway';
import type { OutcomeDemand } from '@shopfloor/group-projector';
import type { ShopfloorMetrics } from '@shopfloor/metrics';
import { clickHouseWinnerLookup, createProjectorService, type ProjectorService } from '@shopfloor/projector';
import type { Logger } from 'pino';
import type { CleanupStack } from './cleanup-stack.ts';

/** A gateway in another process: what the projector's outcomes are handed to. */
export interface ExternalGateway {
  onOutcomes(records: OutcomeRecord[]): void;
  /** Its count of waiting requests as relayed from it; without it the projector's windows stay bulk. */
  demand?: OutcomeDemand | undefined;
}

import type { SystemInfrastructure } from './system-infrastructure.ts';

/** The machine-event stream: gateway → dedupe consumer → projector. */
export interface EventStream {
  /** Undefined when the gateway runs in a process of its own (SHOPFLOOR_TOPOLOGY=split). */
  gateway: GatewayService | undefined;
  dedupe: DedupeRunner;
  projector: ProjectorService;
}

/**
 * Starts the event stream's services; in one process the projector hands outcomes straight to the
 * gateway's waiters. With `externalGateway` there is no gateway here: the projector hands the
 * outcomes to it instead (the split topology relays them to the gateway process over IPC).
 */
export async function startEventStream(
  config: ShopfloorConfig,
  infra: SystemInfrastructure,
  deps: {
    stores: StateStoreFactory;
    metrics: ShopfloorMetrics;
    log: Logger;
    cleanups: CleanupStack;
    externalGateway?: ExternalGateway | undefined;
  },
): Promise<EventStream> {
  const { kafka, codecs, clickhouse } = infra;
  const { log, metrics, cleanups } = deps;
  const dedupe = await createDedupeService(config, {
    kafka,
    codecs,
    stores: deps.stores,
    memberIdDir: config.dirs.state,
    winnerLookup: clickHouseWinnerLookup(clickhouse.reader),
    log: log.child({ component: 'dedupe' }),
    metrics: metrics.dedupe,
  });
  cleanups.push(() => dedupe.stop());
  metrics.eventsProcessor.sampleRestoreProgress(() => dedupe.restoreProgress());
  const gateway = deps.externalGateway
    ? undefined
    : await createGatewayService(config, {
        kafka,
        codecs,
        log: log.child({ component: 'gateway' }),
        outcomesFrom: 'in-process',
        metrics: metrics.gateway,
      });
  if (gateway) cleanups.push(() => gateway.stop());
  const onOutcomes =
    deps.externalGateway?.onOutcomes ??
    ((records: OutcomeRecord[]) => {
      for (const r of records) gateway?.outcomes.ingest(r);
    });
  const projector = createProjectorService(config, {
    kafka,
    writer: clickhouse.writer,
    codecs,
    log: log.child({ component: 'projector' }),
    metrics: metrics.projector,
    memberIdDir: config.dirs.state,
    onOutcomes,
    // Who waits: this process's gateway, or the split gateway's count relayed over IPC.
    ...(gateway
      ? {
          demand: {
            awaited: () => gateway.outcomes.pending > 0,
            onAwaited: (listener: () => void) => gateway.outcomes.onExpect(listener),
            waiting: () => gateway.outcomes.pending,
          },
        }
      : deps.externalGateway?.demand
        ? { demand: deps.externalGateway.demand }
        : {}),
  });
  cleanups.push(() => projector.stop());
  await projector.start();
  return { gateway, dedupe, projector };
}
