import type { ShopfloorConfig } from '@shopfloor/config';
import { createDedupeService, type DedupeRunner } from '@shopfloor/consumer';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import { createGatewayService, type GatewayService } from '@shopfloor/gateway';
import type { ShopfloorMetrics } from '@shopfloor/metrics';
import { clickHouseWinnerLookup, createProjectorService, type ProjectorService } from '@shopfloor/projector';
import type { Logger } from 'pino';
import type { CleanupStack } from './cleanup-stack.ts';
import type { SystemInfrastructure } from './system-infrastructure.ts';

/** The machine-event stream: gateway → dedupe consumer → projector. */
export interface EventStream {
  gateway: GatewayService;
  dedupe: DedupeRunner;
  projector: ProjectorService;
}

/** Starts the event stream's three services; in one process the projector hands outcomes straight to the gateway's waiters. */
export async function startEventStream(
  config: ShopfloorConfig,
  infra: SystemInfrastructure,
  deps: { stores: StateStoreFactory; metrics: ShopfloorMetrics; log: Logger; cleanups: CleanupStack },
): Promise<EventStream> {
  const { kafka, codecs, clickhouse } = infra;
  const { log, metrics, cleanups } = deps;
  const dedupe = await createDedupeService(config, {
    kafka,
    codecs,
    stores: deps.stores,
    winnerLookup: clickHouseWinnerLookup(clickhouse.reader),
    log: log.child({ component: 'dedupe' }),
    metrics: metrics.dedupe,
  });
  cleanups.push(() => dedupe.stop());
  metrics.eventsProcessor.sampleRestoreProgress(() => dedupe.restoreProgress());
  const gateway = await createGatewayService(config, {
    kafka,
    codecs,
    log: log.child({ component: 'gateway' }),
    outcomesFrom: 'in-process',
    metrics: metrics.gateway,
  });
  cleanups.push(() => gateway.stop());
  const projector = createProjectorService(config, {
    kafka,
    writer: clickhouse.writer,
    codecs,
    log: log.child({ component: 'projector' }),
    metrics: metrics.projector,
    onOutcomes: (records) => {
      for (const r of records) gateway.outcomes.ingest(r);
    },
  });
  cleanups.push(() => projector.stop());
  await projector.start();
  return { gateway, dedupe, projector };
}
