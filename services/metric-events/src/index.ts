export {
  createApplyMetricGroupStep,
  METRIC_TOKEN_SUFFIX,
  projectMetricGroup,
} from './apply-metric-group-step.ts';
export {
  jsonMetricCodecs,
  type MetricCodecs,
  registryMetricCodecs,
} from './metric-codecs.ts';
export {
  createMetricEventsService,
  type MetricEventsConfig,
  type MetricEventsDeps,
  type MetricEventsService,
} from './metric-events-service.ts';
export { type IntakeItem, intakeMetricEvents, type MetricIntake } from './metric-intake.ts';
export { metricIntakeRoutes } from './metric-intake-routes.ts';
export {
  type MetricProcessor,
  type MetricProcessorCounters,
  startMetricProcessor,
} from './metric-processor.ts';
export {
  createMetricProjector,
  type MetricProjector,
  metricApplyGroupInto,
  metricRebuildStream,
} from './metric-projector.ts';
export { publishMetricIntake } from './metric-publisher.ts';
export { metricQueryRoutes } from './metric-query-routes.ts';
export { type MetricTopics, metricEventsLayout, metricTopicSpecs, metricTopics } from './metric-topics.ts';
export { type MetricOutcome, type MetricOutcomeNotice, OutcomeWaiters } from './outcome-waiters.ts';
export { createProcessMetricEventsStep, type MetricBatchCounts } from './process-metric-events-step.ts';
