import { describe, expect, test } from 'vitest';
import { alertStageMeans } from './alert-stage-means.ts';

const metrics = (
  committed: [number, number],
  visible: [number, number],
  within500: [number, number] = [committed[1], visible[1]],
) =>
  [
    '# HELP shopfloor_sensor_alert_latency_seconds x',
    `shopfloor_sensor_alert_latency_seconds_bucket{le="0.25",stage="committed"} 0`,
    `shopfloor_sensor_alert_latency_seconds_bucket{le="0.5",stage="committed"} ${within500[0]}`,
    `shopfloor_sensor_alert_latency_seconds_bucket{stage="visible",le="0.5"} ${within500[1]}`,
    `shopfloor_sensor_alert_latency_seconds_sum{stage="committed"} ${committed[0]}`,
    `shopfloor_sensor_alert_latency_seconds_count{stage="committed"} ${committed[1]}`,
    `shopfloor_sensor_alert_latency_seconds_sum{stage="visible"} ${visible[0]}`,
    `shopfloor_sensor_alert_latency_seconds_count{stage="visible"} ${visible[1]}`,
  ].join('\n');

describe('alertStageMeans', () => {
  test('the mean of each stage over the alerts between the two scrapes', () => {
    const before = metrics([1, 10], [2, 10]);
    const after = metrics([1 + 0.3 * 4, 14], [2 + 0.5 * 4, 14]);
    expect(alertStageMeans(before, after)).toEqual({
      committedMs: 300,
      recordedMs: undefined,
      visibleMs: 500,
      alerts: 4,
      committedOver500: 0,
      recordedOver500: undefined,
      visibleOver500: 0,
    });
  });

  test('alerts over 500 ms per stage: the count minus the le="0.5" bucket, between the scrapes', () => {
    const before = metrics([1, 10], [2, 10], [9, 8]);
    const after = metrics([2, 14], [4, 14], [12, 9]);
    expect(alertStageMeans(before, after)).toMatchObject({ committedOver500: 1, visibleOver500: 3 });
  });

  test('the recorded stage, when the pipeline times it', () => {
    const withRecorded = (sum: number, count: number, within: number) =>
      [
        `shopfloor_sensor_alert_latency_seconds_bucket{le="0.5",stage="recorded"} ${within}`,
        `shopfloor_sensor_alert_latency_seconds_sum{stage="recorded"} ${sum}`,
        `shopfloor_sensor_alert_latency_seconds_count{stage="recorded"} ${count}`,
      ].join('\n');
    const before = `${metrics([1, 10], [2, 10])}\n${withRecorded(1, 10, 10)}`;
    const after = `${metrics([1.4, 12], [2.8, 12])}\n${withRecorded(1.6, 12, 11)}`;
    expect(alertStageMeans(before, after)).toMatchObject({ recordedMs: 300, recordedOver500: 1 });
  });

  test('no alert in between, or no histogram at all: undefined', () => {
    expect(alertStageMeans(metrics([1, 10], [2, 10]), metrics([1, 10], [2, 10]))).toBeUndefined();
    expect(alertStageMeans('', '')).toBeUndefined();
  });
});
