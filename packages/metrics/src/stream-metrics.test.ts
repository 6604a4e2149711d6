import { describe, expect, test } from 'vitest';
import { createShopfloorMetrics } from './shopfloor-metrics.ts';
import { parsePrometheusText, sumBy, sumOf } from './testing/prometheus-text.ts';

const scrape = async (metrics: ReturnType<typeof createShopfloorMetrics>) =>
  parsePrometheusText(await metrics.scrape());

describe('the sensor and metric-events streams in /metrics', () => {
  test('sensor readings: rejected at the webhook, accepted and duplicate in the processor, alerts by severity', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    metrics.sensor.readingsPublished({
      published: 4,
      rejectionReasons: ['INVALID_SENSOR_TYPE', 'FUTURE_TIMESTAMP', 'INVALID_SENSOR_TYPE'],
    });
    metrics.sensor.batchCommitted({
      accepted: 3,
      duplicates: 1,
      undecodable: 2,
      alertSeverities: ['CRITICAL', 'LOW', 'CRITICAL'],
    });
    const samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_sensor_readings_total', 'outcome')).toEqual({
      rejected: 3,
      accepted: 3,
      duplicate: 1,
    });
    expect(sumBy(samples, 'shopfloor_sensor_rejections_total', 'reason')).toEqual({
      INVALID_SENSOR_TYPE: 2,
      FUTURE_TIMESTAMP: 1,
    });
    expect(sumOf(samples, 'shopfloor_sensor_published_readings_total')).toBe(4);
    expect(sumBy(samples, 'shopfloor_sensor_alerts_total', 'severity')).toEqual({ CRITICAL: 2, LOW: 1 });
    expect(sumOf(samples, 'shopfloor_sensor_undecodable_records_total')).toBe(2);
    // Nothing of the sensor stream leaks into the events stream's families.
    expect(samples.filter((s) => s.name === 'shopfloor_events_total')).toEqual([]);
  });

  test('metric events: rejected at the edge; processed, duplicate and failed (by reason) in the processor', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    metrics.metricEvents.eventsPublished({ published: 5, rejectionReasons: ['INVALID_AMOUNT'] });
    metrics.metricEvents.batchCommitted({ processed: 2, duplicates: 1, failed: 1, undecodable: 0 });
    metrics.metricEvents.batchCommitted({ processed: 1, duplicates: 0, failed: 0, undecodable: 1 });
    const samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_metric_events_total', 'outcome')).toEqual({
      rejected: 1,
      processed: 3,
      duplicate: 1,
      failed: 2,
    });
    expect(sumBy(samples, 'shopfloor_metric_event_rejections_total', 'reason')).toEqual({
      INVALID_AMOUNT: 1,
    });
    expect(sumBy(samples, 'shopfloor_metric_event_failures_total', 'reason')).toEqual({
      SIMULATED_FAILURE: 1,
      UNDECODABLE_RECORD: 1,
    });
    expect(sumOf(samples, 'shopfloor_metric_events_published_total')).toBe(5);
  });

  test('restores and partitions per stream; the dedupe restore counts as the events stream', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    metrics.dedupe.stateRestored({ records: 7, seconds: 0.2 });
    metrics.sensor.processor.stateRestored({ records: 3, seconds: 0.1 });
    let sensorProgress = { assigned: [0, 1, 2], pending: [2] };
    metrics.sensor.processor.sampleRestoreProgress(() => sensorProgress);
    metrics.metricEvents.processor.sampleRestoreProgress(() => {
      throw new Error('not started');
    });
    let samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_stream_restored_records_total', 'stream')).toEqual({
      events: 7,
      sensor: 3,
    });
    expect(sumOf(samples, 'shopfloor_stream_restore_duration_seconds_count', { stream: 'events' })).toBe(1);
    expect(sumOf(samples, 'shopfloor_dedupe_restored_records_total')).toBe(7);
    expect(sumOf(samples, 'shopfloor_stream_partitions', { stream: 'sensor', state: 'assigned' })).toBe(3);
    expect(sumOf(samples, 'shopfloor_stream_partitions', { stream: 'sensor', state: 'restoring' })).toBe(1);
    expect(
      samples.filter((s) => s.labels.stream === 'metric-events' && s.name === 'shopfloor_stream_partitions'),
    ).toEqual([]);
    expect(sumOf(samples, 'shopfloor_metrics_scrape_errors_total', { source: 'restore_progress' })).toBe(1);

    sensorProgress = { assigned: [0, 1, 2], pending: [] };
    samples = await scrape(metrics);
    expect(sumOf(samples, 'shopfloor_stream_partitions', { stream: 'sensor', state: 'restoring' })).toBe(0);
  });

  test('projectors are told apart by the projector label, each with the time of its last group', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    const before = Date.now() / 1000;
    metrics.projector.groupApplied({
      partitions: 2,
      records: 10,
      invalidRecords: 0,
      seconds: 0.1,
      reapplied: false,
    });
    metrics.projectorOf('sensor').groupApplied({
      partitions: 4,
      records: 6,
      invalidRecords: 1,
      seconds: 0.05,
      reapplied: true,
    });
    metrics.projectorOf('metric-events').inserted({ table: 'sink_offsets', rows: 2, seconds: 0.01 });
    expect(metrics.projectorOf('sensor')).toBe(metrics.projectorOf('sensor'));
    const samples = await scrape(metrics);
    expect(sumBy(samples, 'shopfloor_projector_group_records_sum', 'projector')).toEqual({
      events: 10,
      sensor: 6,
    });
    expect(
      sumOf(samples, 'shopfloor_projector_groups_total', { projector: 'sensor', kind: 'reapplied' }),
    ).toBe(1);
    expect(sumOf(samples, 'shopfloor_projector_invalid_records_total', { projector: 'sensor' })).toBe(1);
    expect(
      sumOf(samples, 'shopfloor_projector_inserted_rows_total', {
        projector: 'metric-events',
        table: 'sink_offsets',
      }),
    ).toBe(2);
    const last = samples.filter((s) => s.name === 'shopfloor_projector_last_group_timestamp_seconds');
    expect(last.map((s) => s.labels.projector).sort()).toEqual(['events', 'sensor']);
    for (const s of last) expect(s.value).toBeGreaterThanOrEqual(before);
  });
});
