import { z } from 'zod';
import { boolFlag, int } from './setting-types.ts';

/** The settings of the metric-events stream (the one schema is composed in schema.ts). */
export const metricEventsSettings = {
  SHOPFLOOR_METRIC_EVENTS_GROUP: z.string().min(1).optional(),
  SHOPFLOOR_ALLOW_SIMULATED_FAILURES: boolFlag.default(false),
  SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS: int(1, 100_000_000).default(200_000),
};

export const metricEventsSettingDocs: Record<keyof typeof metricEventsSettings, string> = {
  SHOPFLOOR_METRIC_EVENTS_GROUP:
    'Consumer group (and transactional id prefix) of the metric-events processor; its projector uses `<group>-projector`. Unset: `<SHOPFLOOR_TOPIC_PREFIX>shopfloor-metric-events`, so systems sharing a broker under different prefixes never share the group.',
  SHOPFLOOR_ALLOW_SIMULATED_FAILURES:
    'Metric events: accept `simulateFailure: true` (the event is recorded, its processing fails with SIMULATED_FAILURE, it is never counted). Off: such an event is rejected with SIMULATED_FAILURE_NOT_ALLOWED.',
  SHOPFLOOR_METRIC_MAX_INFLIGHT_EVENTS:
    'Most metric events POST /events and /events/batch-metrics hold (waiting for Kafka to acknowledge them and, in sync mode, for their outcome); past it, 503 OVERLOADED (load shedding).',
};
