import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, PARTITION_BUCKETS, RESTORE_BUCKETS, SIZE_BUCKETS } from './metric-buckets.ts';
import { defineStreamMetrics } from './stream-metric-definitions.ts';

/**
 * Every Shopfloor metric, defined here and nowhere else (the README's Metrics table lists each one,
 * a test keeps them equal). Each process registers all of them in its own registry; a metric a
 * process has no part in stays at zero or without series there.
 */
export function defineShopfloorMetrics(registry: Registry) {
  const registers = [registry];
  return {
    events: new Counter({
      name: 'shopfloor_events_total',
      help: 'Posted events by outcome: accepted, deduped (stale versions included), updated (counted by the dedupe consumer once its transaction committed) and rejected (counted by the gateway once the dead letters are durable).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    rejections: new Counter({
      name: 'shopfloor_rejections_total',
      help: 'Rejected events by reason code (gateway, once durable on the dead-letter topic).',
      labelNames: ['reason'] as const,
      registers,
    }),
    httpRequestDuration: new Histogram({
      name: 'shopfloor_http_request_duration_seconds',
      help: 'HTTP requests by route pattern, method and status code, and how long they took to answer.',
      labelNames: ['route', 'method', 'status_code'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    gatewayPublishedEvents: new Counter({
      name: 'shopfloor_gateway_published_events_total',
      help: 'Valid events the gateway appended to events.raw (acknowledged by Kafka).',
      registers,
    }),
    gatewayInflightEvents: new Gauge({
      name: 'shopfloor_gateway_inflight_events',
      help: 'Events waiting for Kafka to acknowledge them (past SHOPFLOOR_MAX_INFLIGHT_EVENTS: 503 OVERLOADED).',
      registers,
    }),
    dedupeTransactionDuration: new Histogram({
      name: 'shopfloor_dedupe_transaction_duration_seconds',
      help: 'Committed dedupe transactions (one per partition batch): time from the decision to the commit, retries included.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    dedupeTransactionRecords: new Histogram({
      name: 'shopfloor_dedupe_transaction_records',
      help: 'Raw records per committed dedupe transaction.',
      buckets: SIZE_BUCKETS,
      registers,
    }),
    dedupeTransactionFailures: new Counter({
      name: 'shopfloor_dedupe_transaction_failures_total',
      help: 'Failed dedupe transaction attempts by phase: send (aborted, retried) or commit (outcome unknown: restore and decide again).',
      labelNames: ['phase'] as const,
      registers,
    }),
    dedupeStaleEvents: new Counter({
      name: 'shopfloor_dedupe_stale_events_total',
      help: 'Versions older than the winner (counted as deduped in shopfloor_events_total too).',
      registers,
    }),
    dedupeInvalidRecords: new Counter({
      name: 'shopfloor_dedupe_invalid_records_total',
      help: 'Raw records the dedupe consumer could not decode, parked on events.invalid.',
      registers,
    }),
    dedupeEvictedEntries: new Counter({
      name: 'shopfloor_dedupe_evicted_entries_total',
      help: 'State entries dropped past SHOPFLOOR_STATE_HORIZON_SECONDS (tombstoned in events.state).',
      registers,
    }),
    dedupeFoundWinners: new Counter({
      name: 'shopfloor_dedupe_found_winners_total',
      help: 'Winners looked up in the projection for events whose eventId had left the state.',
      registers,
    }),
    dedupeStateEntries: new Gauge({
      name: 'shopfloor_dedupe_state_entries',
      help: 'Entries (eventIds) in the dedupe state of each partition this process holds, read at scrape time.',
      labelNames: ['partition'] as const,
      registers,
    }),
    dedupeRestoreDuration: new Histogram({
      name: 'shopfloor_dedupe_restore_duration_seconds',
      help: 'State restores from events.state (one per group join or failed transaction, all partitions that needed one together).',
      buckets: RESTORE_BUCKETS,
      registers,
    }),
    dedupeRestoredRecords: new Counter({
      name: 'shopfloor_dedupe_restored_records_total',
      help: 'Changelog records read by state restores.',
      registers,
    }),
    projectorInsertDuration: new Histogram({
      name: 'shopfloor_projector_insert_duration_seconds',
      help: 'Successful ClickHouse inserts of each projector (events, sensor, metric-events) by table (sink_offsets for all; event_changes, rejected_events, batch_events for events; sensor_alerts, sensor_readings, sensor_alert_resolutions, sensor_batch_readings for sensor).',
      labelNames: ['projector', 'table'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    projectorInsertedRows: new Counter({
      name: 'shopfloor_projector_inserted_rows_total',
      help: 'Rows each projector inserted, by table (a re-applied group counts again; ClickHouse drops its copies).',
      labelNames: ['projector', 'table'] as const,
      registers,
    }),
    projectorGroupRecords: new Histogram({
      name: 'shopfloor_projector_group_records',
      help: 'Records per applied group of each projector (events: the decisions in events.change-batches, and events.dlq; sensor: sensor.readings, alerts, resolutions, dlq; metric-events: processed and failed).',
      labelNames: ['projector'] as const,
      buckets: SIZE_BUCKETS,
      registers,
    }),
    projectorGroupPartitions: new Histogram({
      name: 'shopfloor_projector_group_partitions',
      help: 'Partition ranges per applied group of each projector.',
      labelNames: ['projector'] as const,
      buckets: PARTITION_BUCKETS,
      registers,
    }),
    projectorGroupDuration: new Histogram({
      name: 'shopfloor_projector_group_duration_seconds',
      help: 'Time each projector took to apply a recorded group: inserts, outcomes published, offsets committed.',
      labelNames: ['projector'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    projectorGroups: new Counter({
      name: 'shopfloor_projector_groups_total',
      help: 'Groups each projector applied, by kind: new, or reapplied (a recorded group applied again after a crash or a failed write).',
      labelNames: ['projector', 'kind'] as const,
      registers,
    }),
    projectorInvalidRecords: new Counter({
      name: 'shopfloor_projector_invalid_records_total',
      help: 'Records each projector could not decode, parked (events: events.invalid; sensor: sensor.dlq).',
      labelNames: ['projector'] as const,
      registers,
    }),
    projectorLastGroupTime: new Gauge({
      name: 'shopfloor_projector_last_group_timestamp_seconds',
      help: 'When each projector last applied a group (Unix seconds; absent before its first group): time() minus it is how long the projection has not moved.',
      labelNames: ['projector'] as const,
      registers,
    }),
    consumerLag: new Gauge({
      name: 'shopfloor_consumer_lag',
      help: 'Records not yet consumed per consumer group, topic and partition (Kafka admin, read at scrape time).',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
    }),
    consumerCommittedOffset: new Gauge({
      name: 'shopfloor_consumer_committed_offset',
      help: 'Next offset the consumer group reads per topic and partition (absent before its first commit).',
      labelNames: ['group', 'topic', 'partition'] as const,
      registers,
    }),
    logEndOffset: new Gauge({
      name: 'shopfloor_log_end_offset',
      help: 'Log end offset (high watermark) per topic and partition a group consumes.',
      labelNames: ['topic', 'partition'] as const,
      registers,
    }),
    scrapeErrors: new Counter({
      name: 'shopfloor_metrics_scrape_errors_total',
      help: 'Values read at scrape time that could not be read (the broker did not answer in time), by source.',
      labelNames: ['source'] as const,
      registers,
    }),
    ...defineStreamMetrics(registers),
  };
}

export type ShopfloorMetricSet = ReturnType<typeof defineShopfloorMetrics>;
