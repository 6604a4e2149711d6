export { defineShopfloorMetrics, type ShopfloorMetricSet } from './metric-definitions.ts';
export {
  type DedupeMetrics,
  type GatewayMetrics,
  type MetricEventMetrics,
  noMetrics,
  type ProjectorMetrics,
  type ProjectorName,
  type ProjectorTable,
  type RestoreProgressSource,
  type SensorMetrics,
  type StreamName,
  type StreamProcessorMetrics,
} from './metric-ports.ts';
export {
  type HttpRequestObservation,
  type MetricsRoutesOptions,
  metricsRoutes,
  observeHttpRequests,
  UNMATCHED_ROUTE,
} from './metrics-plugin.ts';
export {
  type MetricsSnapshot,
  mergeMetrics,
  SNAPSHOT_CONTENT_TYPE,
} from './metrics-snapshot.ts';
export { consumerLagSampler, LAG_READ_TIMEOUT_MS, stateEntriesSampler } from './scrape-samplers.ts';
export { createShopfloorMetrics, type ShopfloorMetrics } from './shopfloor-metrics.ts';
