import { describe, expect, test } from 'vitest';
import { eventLoopLag, routeMeanMs } from './server-side-figures.ts';

const route = (sum: number, count: number) =>
  [
    '# TYPE shopfloor_http_request_duration_seconds histogram',
    `shopfloor_http_request_duration_seconds_sum{route="/stats",method="GET",status_code="200"} 9`,
    `shopfloor_http_request_duration_seconds_count{route="/stats",method="GET",status_code="200"} 3`,
    `shopfloor_http_request_duration_seconds_sum{status_code="200",method="GET",route="/api/alerts/history"} ${sum}`,
    `shopfloor_http_request_duration_seconds_count{status_code="200",method="GET",route="/api/alerts/history"} ${count}`,
    `shopfloor_http_request_duration_seconds_count{status_code="400",method="GET",route="/api/alerts/history"} 5`,
  ].join('\n');

describe('routeMeanMs', () => {
  test("the mean of the route's 200 answers between the scrapes, whatever the label order", () => {
    expect(routeMeanMs(route(1, 10), route(1 + 0.0425 * 4, 14), '/api/alerts/history')).toBe(42.5);
  });

  test('no answer of the route in between, or no histogram: undefined', () => {
    expect(routeMeanMs(route(1, 10), route(1, 10), '/api/alerts/history')).toBeUndefined();
    expect(routeMeanMs('', '', '/api/alerts/history')).toBeUndefined();
  });
});

describe('eventLoopLag', () => {
  test("prom-client's gauges in ms", () => {
    const after = [
      '# HELP nodejs_eventloop_lag_p50_seconds The 50th percentile of the recorded event loop delays.',
      'nodejs_eventloop_lag_p50_seconds 0.0112',
      'nodejs_eventloop_lag_p90_seconds 0.03',
      'nodejs_eventloop_lag_p99_seconds 0.0815',
      'nodejs_eventloop_lag_max_seconds 0.1404',
    ].join('\n');
    expect(eventLoopLag(after)).toEqual({ p50Ms: 11.2, p99Ms: 81.5, maxMs: 140.4 });
  });

  test('a process without default metrics: undefined', () => {
    expect(eventLoopLag('shopfloor_x 1')).toBeUndefined();
  });
});
