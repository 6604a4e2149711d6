import { AggregatorRegistry, type Registry } from 'prom-client';

/** One process's metrics as prom-client's JSON (`registry.getMetricsAsJSON()`), to be sent elsewhere. */
export type MetricsSnapshot = Awaited<ReturnType<Registry['getMetricsAsJSON']>>;

/**
 * The Prometheus text of several processes' metrics as one: the samples of a metric with the same
 * labels are added up (counters, histograms, gauges such as in-flight events), as prom-client's
 * cluster mode does; a few process metrics have their own rule (the start time is left out, the
 * event-loop lag averaged). What one process of a topology answers for all of them.
 */
export async function mergeMetrics(snapshots: readonly MetricsSnapshot[]): Promise<string> {
  return AggregatorRegistry.aggregate([...snapshots]).metrics();
}

/** The content type of a metrics snapshot sent between processes (`GET /metrics` with this Accept). */
export const SNAPSHOT_CONTENT_TYPE = 'application/json';
