import { describe, expect, it } from 'vitest';
import {
  assessValue,
  DEFAULT_DETECTOR_CONFIG,
  type DetectorConfig,
  detectorConfigProblem,
  observe,
  severityOf,
} from './anomaly-detector.ts';
import { RollingWindow } from './rolling-window.ts';

const config: DetectorConfig = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };

/** 30 readings alternating 9 and 11: mean exactly 10, population stddev exactly 1. */
function baseline(cfg = config, n = 30): RollingWindow {
  const w = new RollingWindow(cfg.windowSize);
  for (let i = 0; i < n; i++) w.push(i % 2 === 0 ? 9 : 11);
  return w;
}

describe('assessValue', () => {
  it('computes known z-scores', () => {
    const w = baseline();
    expect(assessValue(w, 10, config)).toMatchObject({ kind: 'normal', zScore: 0 });
    expect(assessValue(w, 12.5, config)).toMatchObject({ kind: 'normal', zScore: 2.5 });
    expect(assessValue(w, 7.5, config)).toMatchObject({ kind: 'normal', zScore: -2.5 });
    expect(assessValue(w, 16, config)).toMatchObject({ kind: 'anomaly', zScore: 6, severity: 'CRITICAL' });
    const classic = new RollingWindow(8);
    for (const v of [2, 4, 4, 4, 5, 5, 7, 9]) classic.push(v);
    expect(assessValue(classic, 11, { ...config, minWindow: 8 })).toMatchObject({
      kind: 'anomaly',
      zScore: 3,
      severity: 'LOW',
      stats: { count: 8, mean: 5, stddev: 2 },
    });
  });

  it.each([
    [12.999, 'normal', undefined],
    [13, 'anomaly', 'LOW'],
    [13.999, 'anomaly', 'LOW'],
    [14, 'anomaly', 'MEDIUM'],
    [14.999, 'anomaly', 'MEDIUM'],
    [15, 'anomaly', 'CRITICAL'],
    [7.001, 'normal', undefined],
    [7, 'anomaly', 'LOW'],
    [6, 'anomaly', 'MEDIUM'],
    [5, 'anomaly', 'CRITICAL'],
  ] as const)('at x = %s (z = x - 10) the reading is %s %s', (x, kind, severity) => {
    const a = assessValue(baseline(), x, config);
    expect(a.kind).toBe(kind);
    if (a.kind === 'anomaly') expect(a.severity).toBe(severity);
  });

  it('does not detect before the minimum window, and does from it on', () => {
    const w = baseline(config, 29);
    expect(assessValue(w, 1_000, config).kind).toBe('warming-up');
    w.push(11);
    expect(assessValue(w, 1_000, config).kind).toBe('anomaly');
  });

  it('handles a zero stddev explicitly: the constant is normal, anything else CRITICAL without z', () => {
    const w = new RollingWindow(100);
    for (let i = 0; i < 30; i++) w.push(20.5);
    expect(assessValue(w, 20.5, config)).toMatchObject({ kind: 'normal', zScore: 0 });
    expect(assessValue(w, 20.6, config)).toMatchObject({
      kind: 'anomaly',
      zScore: null,
      severity: 'CRITICAL',
    });
    expect(assessValue(w, -3, config)).toMatchObject({ kind: 'anomaly', zScore: null, severity: 'CRITICAL' });
  });

  it('treats rounding residue of a constant window as zero stddev', () => {
    const w = new RollingWindow(30);
    for (let i = 0; i < 30; i++) w.push(0.1 * (i + 1));
    for (let i = 0; i < 30; i++) w.push(0.3);
    const s = w.stats();
    expect(s.stddev).toBeLessThanOrEqual(1e-12 * Math.abs(s.mean));
    expect(assessValue(w, 0.3, config).kind).toBe('normal');
  });

  it('honours a configured threshold', () => {
    const w = baseline();
    expect(assessValue(w, 12.5, { ...config, thresholdSigma: 2.5 })).toMatchObject({ severity: 'LOW' });
    expect(assessValue(w, 13, { ...config, thresholdSigma: 4.5 }).kind).toBe('normal');
  });
});

describe('observe', () => {
  it('admits warming-up and normal readings to the baseline but not anomalies', () => {
    const w = baseline();
    expect(observe(w, 100, config).kind).toBe('anomaly');
    expect(w.count).toBe(30);
    expect(w.stats().mean).toBe(10);
    expect(observe(w, 10, config).kind).toBe('normal');
    expect(w.count).toBe(31);
  });

  it('raises on every reading after a permanent level shift: the baseline never learns the new level', () => {
    const w = baseline();
    // The sensor moves from 10 ± 1 to 20 and stays there: z = 10 each time, forever.
    const kinds = Array.from({ length: 500 }, () => observe(w, 20, config).kind);
    expect(new Set(kinds)).toEqual(new Set(['anomaly']));
    expect(w.count).toBe(30);
    expect(w.stats().mean).toBe(10);
    // Back within the old band, the series is normal again.
    expect(observe(w, 10.5, config).kind).toBe('normal');
  });

  it('evicts the oldest baseline reading once the window is full', () => {
    const cfg = { windowSize: 30, minWindow: 30, thresholdSigma: 3 };
    const w = baseline(cfg);
    // 30 readings of 10.5 replace the whole 9/11 baseline; its stddev becomes 0.
    for (let i = 0; i < 30; i++) observe(w, 10.5, cfg);
    expect(w.values()).toEqual(new Array(30).fill(10.5));
    expect(assessValue(w, 11, cfg)).toMatchObject({ kind: 'anomaly', severity: 'CRITICAL' });
  });
});

describe('severityOf', () => {
  it('bands |z| at 3, 4 and 5 with closed lower edges', () => {
    expect(severityOf(2.9999999, 3)).toBeNull();
    expect(severityOf(3, 3)).toBe('LOW');
    expect(severityOf(4, 3)).toBe('MEDIUM');
    expect(severityOf(5, 3)).toBe('CRITICAL');
    expect(severityOf(Number.POSITIVE_INFINITY, 3)).toBe('CRITICAL');
    expect(severityOf(Number.NaN, 3)).toBeNull();
  });
});

describe('detectorConfigProblem', () => {
  it('accepts the defaults and refuses impossible configs', () => {
    expect(detectorConfigProblem(DEFAULT_DETECTOR_CONFIG)).toBeNull();
    expect(DEFAULT_DETECTOR_CONFIG).toEqual({ windowSize: 100, minWindow: 30, thresholdSigma: 3 });
    expect(detectorConfigProblem({ ...config, minWindow: 101 })).toMatch(/minWindow/);
    expect(detectorConfigProblem({ ...config, minWindow: 1 })).toMatch(/minWindow/);
    expect(detectorConfigProblem({ ...config, windowSize: 1 })).toMatch(/windowSize/);
    expect(detectorConfigProblem({ ...config, thresholdSigma: 0 })).toMatch(/thresholdSigma/);
  });
});
