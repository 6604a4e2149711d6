import type { ShopfloorConfig } from '@shopfloor/config';
import { dashboardRoutes, systemDashboardPorts } from '@shopfloor/dashboard';
import type { StateStoreFactory } from '@shopfloor/dedupe';
import type { HttpApp, HttpRoutes } from '@shopfloor/http-kit';
import { kafkaRequestCounts } from '@shopfloor/kafka';
import type { MetricEventsService } from '@shopfloor/metric-events-service';
import type { ShopfloorMetrics } from '@shopfloor/metrics';
import {
  brokerReachable,
  clickhouseAnswers,
  internalStatusRoutes,
  probeRoutes,
  restoreDone,
  topicsPresent,
} from '@shopfloor/ops';
import { createProjectorRebuildJob, rebuildRoutes } from '@shopfloor/projector';
import type { SensorService } from '@shopfloor/sensors-service';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { CleanupStack } from './cleanup-stack.ts';
import { dedupeStateRoutes } from './dedupe-state-routes.ts';
import type { EventStream } from './event-stream.ts';
import type { SystemInfrastructure } from './system-infrastructure.ts';

const healthResponseSchema = z.object({
  status: z.literal('ok'),
  clickhouse: z.enum(['embedded', 'http']),
  brokers: z.array(z.string()),
});

/** The routes the all-in-one process serves besides each stream's own: dashboard, health, probes, operations. */
export async function registerSystemRoutes(
  app: HttpApp,
  config: ShopfloorConfig,
  s: {
    infra: SystemInfrastructure;
    events: EventStream;
    sensors: SensorService | undefined;
    metricEvents: MetricEventsService;
    stores: StateStoreFactory;
    metrics: ShopfloorMetrics;
    log: Logger;
    cleanups: CleanupStack;
  },
): Promise<void> {
  const { kafka, brokers, clickhouse, codecs } = s.infra;
  const { dedupe, projector } = s.events;
  const { sensors, metricEvents } = s;
  const dashboard = systemDashboardPorts(
    clickhouse.reader,
    kafka,
    [
      { groupId: config.SHOPFLOOR_DEDUPE_GROUP, topics: [config.topics.raw] },
      {
        groupId: config.SHOPFLOOR_PROJECTOR_GROUP,
        topics: [config.topics.changes, config.topics.deadLetter],
      },
      ...(sensors ? [sensors.consumerGroups.processor, ...sensors.consumerGroups.projectors] : []),
      ...metricEvents.consumerGroups,
    ],
    { sensors: sensors !== undefined, metricEvents: true },
  );
  s.cleanups.push(() => dashboard.close());
  s.metrics.sampleConsumerLag(dashboard.ports.consumerLag);
  s.metrics.sampleKafkaRequests(() => kafkaRequestCounts(kafka));
  await app.register(dashboardRoutes, { ports: dashboard.ports });
  // In a plugin, like every route, so the OpenAPI document (loaded first) sees it.
  const healthRoute: HttpRoutes = async (scope) => {
    scope.get('/health', { schema: { response: { 200: healthResponseSchema } } }, async () => ({
      status: 'ok' as const,
      clickhouse: clickhouse.mode,
      brokers,
    }));
  };
  await app.register(healthRoute);
  await app.register(probeRoutes, {
    health: false,
    probes: {
      broker: brokerReachable(brokers),
      topics: topicsPresent(kafka, Object.values(config.topics)),
      clickhouse: clickhouseAnswers(clickhouse),
      // The dedupe member joined its group and restored the state of every partition it holds.
      dedupe: restoreDone(() => dedupe.restoreProgress()),
      ...(sensors && {
        // The sensor member joined its group and restored the state of every partition it holds.
        sensors: restoreDone(
          () => sensors.runner()?.restoreProgress() ?? { joined: false, assigned: [], pending: [] },
        ),
      }),
    },
  });
  await app.register(internalStatusRoutes, {
    reader: clickhouse.reader,
    state: { stores: s.stores, assigned: () => dedupe.assigned() },
  });
  await app.register(rebuildRoutes, {
    job: createProjectorRebuildJob(config, {
      kafka,
      writer: clickhouse.writer,
      projector,
      codecs,
      log: s.log,
      // Every projection this process owns is rebuilt from its log (POST /admin/rebuild?streams=).
      streams: [...(sensors?.rebuildStreams ?? []), metricEvents.rebuildStream],
    }),
  });
  await app.register(dedupeStateRoutes, { stateDir: config.dirs.state });
}
