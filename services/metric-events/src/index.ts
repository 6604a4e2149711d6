// The metric-events stream's public API: the one wiring function (its own main and the all-in-one
// process call it) and the topic and group layout the operator command shares. The processor,
// projector, routes and codecs are its parts, reached through the service.
export {
  createMetricEventsService,
  type MetricEventsConfig,
  type MetricEventsDeps,
  type MetricEventsService,
} from './metric-events-service.ts';
export { type MetricTopics, metricEventsLayout, metricTopicSpecs, metricTopics } from './metric-topics.ts';
