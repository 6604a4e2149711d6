import type { Registry } from 'prom-client';
import { LATENCY_BUCKETS, RESTORE_BUCKETS } from './metric-buckets.ts';
import { metricFactory } from './metric-factory.ts';

/**
 * The metrics of the sensor-readings and metric-events streams, and the ones every stream's
 * processor shares (label `stream`: events, sensor, metric-events). Named after the events
 * stream's families: `<stream>_total{outcome}` for what happened to each posted record,
 * `<stream>_rejections_total{reason}` for what the edge refused, `..._published_...` for what the
 * ingest appended to the log. Part of `defineShopfloorMetrics`: one registry, one README table.
 */
export function defineStreamMetrics(registers: Registry[]) {
  const { counter, gauge, histogram } = metricFactory(registers);
  return {
    sensorReadings: counter(
      'shopfloor_sensor_readings_total',
      'Posted sensor readings by outcome: accepted and duplicate (counted by the anomaly processor once its transaction committed) and rejected (counted by the webhook once durable on sensor.dlq).',
      ['outcome'],
    ),
    sensorRejections: counter(
      'shopfloor_sensor_rejections_total',
      'Rejected sensor readings by reason code (webhook, once durable on sensor.dlq).',
      ['reason'],
    ),
    sensorPublishedReadings: counter(
      'shopfloor_sensor_published_readings_total',
      'Valid readings the webhook appended to sensor.readings.raw (acknowledged by Kafka).',
    ),
    sensorAlerts: counter(
      'shopfloor_sensor_alerts_total',
      'Alerts the anomaly processor raised, by severity (LOW, MEDIUM, CRITICAL), once its transaction committed.',
      ['severity'],
    ),
    sensorAlertLatency: histogram(
      'shopfloor_sensor_alert_latency_seconds',
      "Time from an alert's reading reaching the webhook (receivedAt) to its alert committed by the anomaly processor (stage committed), held by a sensor projector with its group recorded in sink_offsets (stage recorded) and inserted into ClickHouse by it (stage visible; issue 12's target is 500 ms to a query's answer).",
      LATENCY_BUCKETS,
      ['stage'],
    ),
    sensorUndecodableRecords: counter(
      'shopfloor_sensor_undecodable_records_total',
      'Raw readings the anomaly processor could not decode, parked on sensor.dlq (UNDECODABLE_RECORD).',
    ),
    metricEvents: counter(
      'shopfloor_metric_events_total',
      'Posted metric events by outcome: processed and duplicate (counted by the metric-events processor once its transaction committed), failed (SIMULATED_FAILURE or undecodable, same moment) and rejected (counted at the edge once durable on metric.events.failed).',
      ['outcome'],
    ),
    metricEventRejections: counter(
      'shopfloor_metric_event_rejections_total',
      'Rejected metric events by reason code (at the edge, once durable on metric.events.failed).',
      ['reason'],
    ),
    metricEventFailures: counter(
      'shopfloor_metric_event_failures_total',
      'Metric events that failed in the processor, by reason (SIMULATED_FAILURE, UNDECODABLE_RECORD): listed among the failed events, never counted.',
      ['reason'],
    ),
    metricEventsPublished: counter(
      'shopfloor_metric_events_published_total',
      'Valid metric events appended to metric.events.raw (acknowledged by Kafka).',
    ),
    streamPartitions: gauge(
      'shopfloor_stream_partitions',
      'Input partitions the processor member of each stream holds in this process, by state: assigned, or restoring (its state not yet restored: it decides nothing there), read at scrape time.',
      ['stream', 'state'],
    ),
    streamRestoreDuration: histogram(
      'shopfloor_stream_restore_duration_seconds',
      'State restores of each stream processor from its changelog (events: events.state; sensor: sensor.state and sensor.reading-identities; metric-events: metric.events.state).',
      RESTORE_BUCKETS,
      ['stream'],
    ),
    streamRestoredRecords: counter(
      'shopfloor_stream_restored_records_total',
      'Changelog records read by the state restores of each stream processor.',
      ['stream'],
    ),
  };
}
