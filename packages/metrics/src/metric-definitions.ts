import type { Registry } from 'prom-client';
import { LATENCY_BUCKETS, PARTITION_BUCKETS, RESTORE_BUCKETS, SIZE_BUCKETS } from './metric-buckets.ts';
import { metricFactory } from './metric-factory.ts';
import { defineStreamMetrics } from './stream-metric-definitions.ts';

/**
 * Every Shopfloor metric, defined here and nowhere else (the README's Metrics table lists each one,
 * a test keeps them equal). Each process registers all of them in its own registry; a metric a
 * process has no part in stays at zero or without series there.
 */
export function defineShopfloorMetrics(registry: Registry) {
  const registers = [registry];
  const { counter, gauge, histogram } = metricFactory(registers);
  return {
    events: counter(
      'shopfloor_events_total',
      'Posted events by outcome: accepted, deduped (stale versions included), updated (counted by the dedupe consumer once its transaction committed) and rejected (counted by the gateway once the dead letters are durable).',
      ['outcome'],
    ),
    rejections: counter(
      'shopfloor_rejections_total',
      'Rejected events by reason code (gateway, once durable on the dead-letter topic).',
      ['reason'],
    ),
    httpRequestDuration: histogram(
      'shopfloor_http_request_duration_seconds',
      'HTTP requests by route pattern, method and status code, and how long they took to answer.',
      LATENCY_BUCKETS,
      ['route', 'method', 'status_code'],
    ),
    gatewayPublishedEvents: counter(
      'shopfloor_gateway_published_events_total',
      'Valid events the gateway appended to events.raw (acknowledged by Kafka).',
    ),
    gatewayInflightEvents: gauge(
      'shopfloor_gateway_inflight_events',
      'Events waiting for Kafka to acknowledge them (past SHOPFLOOR_MAX_INFLIGHT_EVENTS: 503 OVERLOADED).',
    ),
    dedupeTransactionDuration: histogram(
      'shopfloor_dedupe_transaction_duration_seconds',
      'Committed dedupe transactions (one per partition batch): time from the decision to the commit, retries included.',
      LATENCY_BUCKETS,
    ),
    dedupeTransactionRecords: histogram(
      'shopfloor_dedupe_transaction_records',
      'Raw records per committed dedupe transaction.',
      SIZE_BUCKETS,
    ),
    dedupeTransactionFailures: counter(
      'shopfloor_dedupe_transaction_failures_total',
      'Failed dedupe transaction attempts by phase: send (aborted, retried) or commit (outcome unknown: restore and decide again).',
      ['phase'],
    ),
    dedupeStaleEvents: counter(
      'shopfloor_dedupe_stale_events_total',
      'Versions older than the winner (counted as deduped in shopfloor_events_total too).',
    ),
    dedupeInvalidRecords: counter(
      'shopfloor_dedupe_invalid_records_total',
      'Raw records the dedupe consumer could not decode, parked on events.invalid.',
    ),
    dedupeEvictedEntries: counter(
      'shopfloor_dedupe_evicted_entries_total',
      'State entries dropped past SHOPFLOOR_STATE_HORIZON_SECONDS (tombstoned in events.state).',
    ),
    dedupeFoundWinners: counter(
      'shopfloor_dedupe_found_winners_total',
      'Winners looked up in the projection for events whose eventId had left the state.',
    ),
    dedupeStateEntries: gauge(
      'shopfloor_dedupe_state_entries',
      'Entries (eventIds) in the dedupe state of each partition this process holds, read at scrape time.',
      ['partition'],
    ),
    dedupeRestoreDuration: histogram(
      'shopfloor_dedupe_restore_duration_seconds',
      'State restores from events.state (one per group join or failed transaction, all partitions that needed one together).',
      RESTORE_BUCKETS,
    ),
    dedupeRestoredRecords: counter(
      'shopfloor_dedupe_restored_records_total',
      'Changelog records read by state restores.',
    ),
    projectorInsertDuration: histogram(
      'shopfloor_projector_insert_duration_seconds',
      'Successful ClickHouse inserts of each projector (events, sensor, metric-events) by table (sink_offsets for all; event_changes, rejected_events, batch_events for events; sensor_alerts, sensor_readings, sensor_alert_resolutions, sensor_batch_readings for sensor).',
      LATENCY_BUCKETS,
      ['projector', 'table'],
    ),
    projectorInsertedRows: counter(
      'shopfloor_projector_inserted_rows_total',
      'Rows each projector inserted, by table (a re-applied group counts again; ClickHouse drops its copies).',
      ['projector', 'table'],
    ),
    projectorGroupRecords: histogram(
      'shopfloor_projector_group_records',
      'Records per applied group of each projector (events: the decisions in events.change-batches, and events.dlq; sensor: the decisions in sensor.reading-batches (and sensor.readings), alerts, resolutions, dlq; metric-events: processed and failed).',
      SIZE_BUCKETS,
      ['projector'],
    ),
    projectorGroupPartitions: histogram(
      'shopfloor_projector_group_partitions',
      'Partition ranges per applied group of each projector.',
      PARTITION_BUCKETS,
      ['projector'],
    ),
    projectorGroupDuration: histogram(
      'shopfloor_projector_group_duration_seconds',
      'Time each projector took to apply a recorded group: inserts, outcomes published, offsets committed.',
      LATENCY_BUCKETS,
      ['projector'],
    ),
    projectorGroups: counter(
      'shopfloor_projector_groups_total',
      'Groups each projector applied, by kind: new, or reapplied (a recorded group applied again after a crash or a failed write).',
      ['projector', 'kind'],
    ),
    projectorAwaitedFetches: counter(
      'shopfloor_projector_awaited_fetches_total',
      'Fetches of each projector answered at their first record because exactly one request waited for its outcomes (a sync POST, in the split topology relayed from the gateway process); 0 while nobody waits or several do.',
      ['projector'],
    ),
    projectorInvalidRecords: counter(
      'shopfloor_projector_invalid_records_total',
      'Records each projector could not decode, parked (events: events.invalid; sensor: sensor.dlq).',
      ['projector'],
    ),
    projectorLastGroupTime: gauge(
      'shopfloor_projector_last_group_timestamp_seconds',
      'When each projector last applied a group (Unix seconds; absent before its first group): time() minus it is how long the projection has not moved.',
      ['projector'],
    ),
    consumerLag: gauge(
      'shopfloor_consumer_lag',
      'Records not yet consumed per consumer group, topic and partition (Kafka admin, read at scrape time).',
      ['group', 'topic', 'partition'],
    ),
    consumerCommittedOffset: gauge(
      'shopfloor_consumer_committed_offset',
      'Next offset the consumer group reads per topic and partition (absent before its first commit).',
      ['group', 'topic', 'partition'],
    ),
    logEndOffset: gauge(
      'shopfloor_log_end_offset',
      'Log end offset (high watermark) per topic and partition a group consumes.',
      ['topic', 'partition'],
    ),
    kafkaRequests: counter(
      'shopfloor_kafka_requests_total',
      "Kafka requests this process's clients sent and had answered, by client kind (producer, consumer, admin) and API (kafkajs' names: Produce, Fetch, AddPartitionsToTxn, GroupCoordinator, ...); read at scrape time.",
      ['client', 'api'],
    ),
    kafkaRequestSeconds: counter(
      'shopfloor_kafka_request_seconds_total',
      'Time those requests took from sent to answered, summed, by client kind and API (divide by shopfloor_kafka_requests_total for the mean).',
      ['client', 'api'],
    ),
    scrapeErrors: counter(
      'shopfloor_metrics_scrape_errors_total',
      'Values read at scrape time that could not be read (the broker did not answer in time), by source.',
      ['source'],
    ),
    ...defineStreamMetrics(registers),
  };
}

export type ShopfloorMetricSet = ReturnType<typeof defineShopfloorMetrics>;
