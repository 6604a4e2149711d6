import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import { LATENCY_BUCKETS, RESTORE_BUCKETS } from './metric-buckets.ts';

/**
 * The metrics of the sensor-readings and metric-events streams, and the ones every stream's
 * processor shares (label `stream`: events, sensor, metric-events). Named after the events
 * stream's families: `<stream>_total{outcome}` for what happened to each posted record,
 * `<stream>_rejections_total{reason}` for what the edge refused, `..._published_...` for what the
 * ingest appended to the log. Part of `defineShopfloorMetrics`: one registry, one README table.
 */
export function defineStreamMetrics(registers: Registry[]) {
  return {
    sensorReadings: new Counter({
      name: 'shopfloor_sensor_readings_total',
      help: 'Posted sensor readings by outcome: accepted and duplicate (counted by the anomaly processor once its transaction committed) and rejected (counted by the webhook once durable on sensor.dlq).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    sensorRejections: new Counter({
      name: 'shopfloor_sensor_rejections_total',
      help: 'Rejected sensor readings by reason code (webhook, once durable on sensor.dlq).',
      labelNames: ['reason'] as const,
      registers,
    }),
    sensorPublishedReadings: new Counter({
      name: 'shopfloor_sensor_published_readings_total',
      help: 'Valid readings the webhook appended to sensor.readings.raw (acknowledged by Kafka).',
      registers,
    }),
    sensorAlerts: new Counter({
      name: 'shopfloor_sensor_alerts_total',
      help: 'Alerts the anomaly processor raised, by severity (LOW, MEDIUM, CRITICAL), once its transaction committed.',
      labelNames: ['severity'] as const,
      registers,
    }),
    sensorAlertLatency: new Histogram({
      name: 'shopfloor_sensor_alert_latency_seconds',
      help: "Time from an alert's reading reaching the webhook (receivedAt) to its alert committed by the anomaly processor (stage committed) and inserted into ClickHouse by the sensor projector (stage visible; issue 12's target is 500 ms to a query's answer).",
      labelNames: ['stage'] as const,
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    sensorUndecodableRecords: new Counter({
      name: 'shopfloor_sensor_undecodable_records_total',
      help: 'Raw readings the anomaly processor could not decode, parked on sensor.dlq (UNDECODABLE_RECORD).',
      registers,
    }),
    metricEvents: new Counter({
      name: 'shopfloor_metric_events_total',
      help: 'Posted metric events by outcome: processed and duplicate (counted by the metric-events processor once its transaction committed), failed (SIMULATED_FAILURE or undecodable, same moment) and rejected (counted at the edge once durable on metric.events.failed).',
      labelNames: ['outcome'] as const,
      registers,
    }),
    metricEventRejections: new Counter({
      name: 'shopfloor_metric_event_rejections_total',
      help: 'Rejected metric events by reason code (at the edge, once durable on metric.events.failed).',
      labelNames: ['reason'] as const,
      registers,
    }),
    metricEventFailures: new Counter({
      name: 'shopfloor_metric_event_failures_total',
      help: 'Metric events that failed in the processor, by reason (SIMULATED_FAILURE, UNDECODABLE_RECORD): listed among the failed events, never counted.',
      labelNames: ['reason'] as const,
      registers,
    }),
    metricEventsPublished: new Counter({
      name: 'shopfloor_metric_events_published_total',
      help: 'Valid metric events appended to metric.events.raw (acknowledged by Kafka).',
      registers,
    }),
    streamPartitions: new Gauge({
      name: 'shopfloor_stream_partitions',
      help: 'Input partitions the processor member of each stream holds in this process, by state: assigned, or restoring (its state not yet restored: it decides nothing there), read at scrape time.',
      labelNames: ['stream', 'state'] as const,
      registers,
    }),
    streamRestoreDuration: new Histogram({
      name: 'shopfloor_stream_restore_duration_seconds',
      help: 'State restores of each stream processor from its changelog (events: events.state; sensor: sensor.state; metric-events: metric.events.state).',
      labelNames: ['stream'] as const,
      buckets: RESTORE_BUCKETS,
      registers,
    }),
    streamRestoredRecords: new Counter({
      name: 'shopfloor_stream_restored_records_total',
      help: 'Changelog records read by the state restores of each stream processor.',
      labelNames: ['stream'] as const,
      registers,
    }),
  };
}
