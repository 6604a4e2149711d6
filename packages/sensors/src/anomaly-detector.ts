import type { RollingWindow, WindowStats } from './rolling-window.ts';

/** Alert severities, by |z|: LOW from the threshold to 4, MEDIUM [4, 5), CRITICAL from 5 on. */
export const SEVERITIES = ['LOW', 'MEDIUM', 'CRITICAL'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MEDIUM_SIGMA = 4;
export const CRITICAL_SIGMA = 5;

export type DetectorConfig = {
  /** ROLLING_WINDOW_SIZE: how many accepted normal readings form the baseline. */
  windowSize: number;
  /** No detection before the window holds this many readings. */
  minWindow: number;
  /** ANOMALY_THRESHOLD_SIGMA: |z| at or above this is an anomaly. */
  thresholdSigma: number;
};

export const DEFAULT_DETECTOR_CONFIG: DetectorConfig = Object.freeze({
  windowSize: 100,
  minWindow: 30,
  thresholdSigma: 3,
});

/** Why `config` cannot work, or null. */
export function detectorConfigProblem(c: DetectorConfig): string | null {
  if (!Number.isInteger(c.windowSize) || c.windowSize < 2) return 'windowSize must be an integer >= 2';
  if (!Number.isInteger(c.minWindow) || c.minWindow < 2 || c.minWindow > c.windowSize) {
    return 'minWindow must be an integer in [2, windowSize]';
  }
  if (!Number.isFinite(c.thresholdSigma) || c.thresholdSigma <= 0) return 'thresholdSigma must be > 0';
  return null;
}

/**
 * What one reading is against its series' baseline. `warming-up` and `normal` readings enter the
 * baseline; an `anomaly` does not (so a fault does not teach the baseline that it is normal).
 * `zScore` is null for an anomaly against a zero-stddev baseline (see `assessValue`).
 */
export type Assessment =
  | { kind: 'warming-up'; stats: WindowStats }
  | { kind: 'normal'; stats: WindowStats; zScore: number }
  | { kind: 'anomaly'; stats: WindowStats; zScore: number | null; severity: Severity };

// Below this relative size a stddev is rounding residue of a constant window, not spread.
const ZERO_STDDEV_RELATIVE = 1e-12;

/**
 * Assesses `value` against `window` (which it does not change). z = (x - mean) / stddev with the
 * population stddev of the window. A zero stddev (every value in the window equal, up to rounding)
 * is handled explicitly: the value equal to that constant is normal (z = 0); any other value is an
 * anomaly of severity CRITICAL with no finite z (a sensor that never moved and now moves is the
 * strongest departure there is).
 */
export function assessValue(window: RollingWindow, value: number, config: DetectorConfig): Assessment {
  const stats = window.stats();
  if (stats.count < config.minWindow) return { kind: 'warming-up', stats };
  if (stats.stddev <= ZERO_STDDEV_RELATIVE * Math.abs(stats.mean)) {
    return value === stats.mean
      ? { kind: 'normal', stats, zScore: 0 }
      : { kind: 'anomaly', stats, zScore: null, severity: 'CRITICAL' };
  }
  const zScore = (value - stats.mean) / stats.stddev;
  const severity = severityOf(Math.abs(zScore), config.thresholdSigma);
  return severity === null ? { kind: 'normal', stats, zScore } : { kind: 'anomaly', stats, zScore, severity };
}

/** The severity of |z| = `absZ`, or null below the threshold. */
export function severityOf(absZ: number, thresholdSigma: number): Severity | null {
  if (!(absZ >= thresholdSigma)) return null;
  if (absZ >= CRITICAL_SIGMA) return 'CRITICAL';
  if (absZ >= MEDIUM_SIGMA) return 'MEDIUM';
  return 'LOW';
}

/** Assesses `value` and, unless it is an anomaly, admits it to the baseline. O(1). */
export function observe(window: RollingWindow, value: number, config: DetectorConfig): Assessment {
  const assessment = assessValue(window, value, config);
  if (assessment.kind !== 'anomaly') window.push(value);
  return assessment;
}
