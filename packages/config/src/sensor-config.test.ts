import { describe, expect, test } from 'vitest';
import { ConfigError, loadConfig } from './index.ts';

describe('sensor detector configuration', () => {
  test('defaults: window 100, minimum 30, threshold 3 sigma', () => {
    const c = loadConfig({}, '/srv/app');
    expect(c.sensors.detector).toEqual({ windowSize: 100, minWindow: 30, thresholdSigma: 3 });
    expect(c.SHOPFLOOR_SENSOR_PARTITIONS).toBe(6);
    expect(c.SHOPFLOOR_SENSORS).toBe(true);
    expect(loadConfig({ SHOPFLOOR_SENSORS: '0' }).SHOPFLOOR_SENSORS).toBe(false);
  });

  test('the seen-identity horizon: off by default, and the events horizon rule (seconds, shared sweep interval)', () => {
    expect(loadConfig({}).sensors.stateHorizon).toBeUndefined();
    const c = loadConfig({
      SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS: '86400',
      SHOPFLOOR_STATE_SWEEP_INTERVAL_MS: '5000',
    });
    expect(c.sensors.stateHorizon).toEqual({ horizonMs: 86_400_000, sweepIntervalMs: 5000 });
    expect(c.stateHorizon).toBeUndefined(); // the events' horizon is a setting of its own
    expect(() => loadConfig({ SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS: '-1' })).toThrow(
      'SHOPFLOOR_SENSOR_STATE_HORIZON_SECONDS',
    );
  });

  test('parses decimals for the threshold', () => {
    const c = loadConfig({
      ROLLING_WINDOW_SIZE: '50',
      ANOMALY_MIN_WINDOW: '10',
      ANOMALY_THRESHOLD_SIGMA: '2.5',
    });
    expect(c.sensors.detector).toEqual({ windowSize: 50, minWindow: 10, thresholdSigma: 2.5 });
  });

  test.each([
    [{ ANOMALY_THRESHOLD_SIGMA: 'three' }, 'ANOMALY_THRESHOLD_SIGMA: must be a positive decimal number'],
    [{ ANOMALY_THRESHOLD_SIGMA: '0' }, 'ANOMALY_THRESHOLD_SIGMA: must be greater than 0'],
    [{ ROLLING_WINDOW_SIZE: '1' }, 'ROLLING_WINDOW_SIZE:'],
    [{ ROLLING_WINDOW_SIZE: '20' }, 'ANOMALY_MIN_WINDOW: must be at most ROLLING_WINDOW_SIZE (20), got 30'],
  ])('%o is refused with a precise message', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});
