import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { parsePrometheusText, type Sample, sumBy, sumOf } from '@shopfloor/metrics/testing';
import { sensorReadingsOf } from '@shopfloor/test-support';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestSystem, type TestSystem } from './system-harness.ts';

// GET /metrics of the all-in-one process after readings and metric events were posted: the sensor
// and metric-events families equal what the answers said, and the processors, restores,
// projectors and lag of both streams are there.
let sys: TestSystem;
let samples: Sample[];

const scrape = async () => {
  const res = await fetch(`${sys.url}/metrics`);
  expect(res.status).toBe(200);
  return parsePrometheusText(await res.text());
};
const postJson = async (path: string, body: unknown) => {
  const res = await fetch(`${sys.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, any> };
};

const T = Date.parse('2026-03-01T10:00:00Z');
const equipmentId = `EQ-${randomBytes(3).toString('hex')}`;
const { reading, baseline } = sensorReadingsOf(equipmentId, { t0: T });
const clientId = `client-${randomBytes(3).toString('hex')}`;
const metricEvent = (amount: unknown, over: Record<string, unknown> = {}) => ({
  client_id: clientId,
  payload: { metric: 'clicks', amount, timestamp: new Date(T).toISOString() },
  ...over,
});

/** What the answers said, summed: the scrape must say the same. */
const sensorAnswers = { accepted: 0, deduped: 0, rejected: 0 };
const metricAnswers = { processed: 0, duplicates: 0, failed: 0, rejected: 0 };
const rejectionReasons: Record<string, number> = {};

beforeAll(async () => {
  sys = await startTestSystem({ SHOPFLOOR_ALLOW_SIMULATED_FAILURES: '1' });
  // 40 readings alternating 4.0 and 4.4 (mean 4.2, stddev 0.2), one of an unknown type, then a
  // spike of z = 5.5 (CRITICAL), then the spike's request again (two duplicates).
  const bad = { equipmentId, sensorType: 'humidity', value: 1, timestamp: new Date(T).toISOString() };
  const spike = [reading(100, 5.3), reading(101, 4.2)];
  for (const readings of [[...baseline(40), bad], spike, spike]) {
    const r = await postJson('/api/webhook/sensor-data', { readings });
    expect(r.status).toBe(200);
    for (const k of ['accepted', 'deduped', 'rejected'] as const) sensorAnswers[k] += r.body[k];
    for (const { reason } of r.body.rejections as { reason: string }[])
      rejectionReasons[reason] = (rejectionReasons[reason] ?? 0) + 1;
  }
  // Three new events, one of them again, an amount that is not an integer, a simulated failure.
  const batch = [metricEvent(1), metricEvent(2), metricEvent(3), metricEvent(1), metricEvent(1.5)];
  const posted = await postJson('/events/batch-metrics', batch);
  const single = await postJson('/events', metricEvent(9, { simulateFailure: true }));
  expect([posted.status, single.status]).toEqual([200, 200]);
  for (const k of ['processed', 'duplicates', 'failed', 'rejected'] as const)
    metricAnswers[k] += posted.body[k];
  expect(single.body).toMatchObject({ status: 'failed', reason: 'SIMULATED_FAILURE' });
  metricAnswers.failed++;
  // The processors count once their transaction committed, which the answers waited for; the lag
  // of the processor groups is read from the broker: poll until it is at rest.
  const deadline = Date.now() + 30_000;
  do {
    samples = await scrape();
    if (sumOf(samples, 'shopfloor_consumer_lag', { group: `${sys.prefix}sensors` }) === 0) break;
    await sleep(250);
  } while (Date.now() < deadline);
});
afterAll(async () => {
  await sys?.close();
});

describe('GET /metrics of the all-in-one process: the sensor and metric-events streams', () => {
  test('sensor readings by outcome and rejections by reason equal the webhook answers; alerts by severity', () => {
    expect(sensorAnswers).toEqual({ accepted: 42, deduped: 2, rejected: 1 });
    expect(sumBy(samples, 'shopfloor_sensor_readings_total', 'outcome')).toEqual({
      accepted: sensorAnswers.accepted,
      duplicate: sensorAnswers.deduped,
      rejected: sensorAnswers.rejected,
    });
    expect(sumBy(samples, 'shopfloor_sensor_rejections_total', 'reason')).toEqual(rejectionReasons);
    expect(sumOf(samples, 'shopfloor_sensor_published_readings_total')).toBe(44);
    expect(sumBy(samples, 'shopfloor_sensor_alerts_total', 'severity')).toEqual({ CRITICAL: 1 });
    expect(sumOf(samples, 'shopfloor_sensor_undecodable_records_total')).toBe(0);
  });

  test('metric events by outcome, rejections and failures by reason equal the answers', () => {
    expect(metricAnswers).toEqual({ processed: 3, duplicates: 1, failed: 1, rejected: 1 });
    expect(sumBy(samples, 'shopfloor_metric_events_total', 'outcome')).toEqual({
      processed: 3,
      duplicate: 1,
      failed: 1,
      rejected: 1,
    });
    expect(sumBy(samples, 'shopfloor_metric_event_rejections_total', 'reason')).toEqual({
      NOT_AN_INTEGER: 1,
    });
    expect(sumBy(samples, 'shopfloor_metric_event_failures_total', 'reason')).toEqual({
      SIMULATED_FAILURE: 1,
    });
    expect(sumOf(samples, 'shopfloor_metric_events_published_total')).toBe(5);
  });

  test('every stream processor holds its partitions, restored; restores are timed per stream', () => {
    const partitions = (stream: string, state: string) =>
      sumOf(samples, 'shopfloor_stream_partitions', { stream, state });
    // SHOPFLOOR_PARTITIONS=3 (events, metric events), SHOPFLOOR_SENSOR_PARTITIONS=2.
    expect([partitions('events', 'assigned'), partitions('events', 'restoring')]).toEqual([3, 0]);
    expect([partitions('sensor', 'assigned'), partitions('sensor', 'restoring')]).toEqual([2, 0]);
    expect([partitions('metric-events', 'assigned'), partitions('metric-events', 'restoring')]).toEqual([
      3, 0,
    ]);
    for (const stream of ['events', 'sensor', 'metric-events']) {
      expect(
        sumOf(samples, 'shopfloor_stream_restore_duration_seconds_count', { stream }),
        stream,
      ).toBeGreaterThanOrEqual(1);
    }
  });

  test('each projector applied groups (records: decisions, alerts, failures) and says when it last did', () => {
    const records = (projector: string) =>
      sumOf(samples, 'shopfloor_projector_group_records_sum', { projector });
    // Sensor: 44 decisions and 1 dead letter; its alert lane: 1 alert. Metric events: 4 decisions,
    // 2 failed records.
    expect(records('sensor')).toBe(45);
    expect(records('sensor-alerts')).toBe(1);
    expect(records('metric-events')).toBe(6);
    expect(records('events')).toBe(0);
    const now = Date.now() / 1000;
    for (const projector of ['sensor', 'sensor-alerts', 'metric-events']) {
      const at = sumOf(samples, 'shopfloor_projector_last_group_timestamp_seconds', { projector });
      expect(at, projector).toBeGreaterThan(now - 120);
      expect(at, projector).toBeLessThanOrEqual(now);
    }
  });

  test('the lag of both streams’ groups is read from the broker', () => {
    const groups = new Set(
      samples.filter((s) => s.name === 'shopfloor_consumer_lag').map((s) => s.labels.group),
    );
    for (const group of [
      'sensors',
      'sensor-projector',
      'sensor-projector-alerts',
      'shopfloor-metric-events',
      'shopfloor-metric-events-projector',
    ])
      expect(groups, group).toContain(`${sys.prefix}${group}`);
    expect(sumOf(samples, 'shopfloor_consumer_lag', { group: `${sys.prefix}shopfloor-metric-events` })).toBe(
      0,
    );
    expect(sumOf(samples, 'shopfloor_metrics_scrape_errors_total')).toBe(0);
  });
});
