import { describe, expect, it } from 'vitest';
import { ROLES } from './chaos-cluster.ts';
import { diffMaps } from './diff.ts';
import { type FaultInjectionReport, planFaults } from './fault-injection.ts';
import { formatReport } from './format-report.ts';
import { emptyPostStats } from './machine-clients.ts';
import { answersDiff, detectorConfigOf } from './stream-runs.ts';

const roles = { gateway: 0, 'consumer-1': 0, 'consumer-2': 0, projector: 0, sensors: 0, 'metric-events': 0 };
const clean = (table: string) => diffMaps(table, new Map([['k', 1]]), new Map([['k', 1]]), (a, b) => a === b);

function report(over: Partial<FaultInjectionReport> = {}): FaultInjectionReport {
  return {
    ok: true,
    seed: 1,
    workDir: '/tmp/x',
    kept: false,
    workload: {
      batches: 1,
      events: 1,
      fresh: 1,
      duplicates: 0,
      corrections: 0,
      moved: 0,
      invalid: 0,
      distinctEventIds: 1,
      clients: 1,
    },
    posting: emptyPostStats(),
    faults: {
      planned: 0,
      kills: roles,
      brokerRestarts: 0,
      unexpectedExits: roles,
      startFailures: roles,
      maxRecoveryMs: roles,
    },
    findings: [],
    quiescence: undefined,
    api: [clean('GET /stats')],
    tables: [clean('events FINAL')],
    failures: [],
    timings: {},
    ...over,
  };
}

const sensors = (diffs = [clean('sensor_readings')]) => ({
  counts: { batches: 2, readings: 90, fresh: 80, withoutId: 20, duplicates: 9, spikes: 3, invalid: 1 },
  posting: emptyPostStats(),
  figures: { syncAnswers: 1, syncTimeouts: 1, asyncAnswers: 1, resolutions: 1 },
  alerts: 3,
  resolved: 1,
  diffs,
});

describe('formatReport: one line per stream', () => {
  it('says when a stream was not driven', () => {
    const text = formatReport(report());
    expect(text).toMatch(/^ {2}events +0 {3}\(2 tables and answers\)$/m);
    expect(text).toContain('sensors        not driven');
    expect(text).toContain('metric events  not driven');
  });

  it("sums a stream's differences on its line and lists each comparison with its samples", () => {
    const lost = diffMaps(
      'sensor_alerts (rows per alert)',
      new Map([['a1', '1× CRITICAL']]),
      new Map(),
      (a, b) => a === b,
    );
    const text = formatReport(report({ ok: false, sensors: sensors([clean('sensor_readings'), lost]) }));
    expect(text).toMatch(
      /^ {2}sensors +1 {3}\(90 readings in 2 batches: 20 without readingId, 9 re-sent, 3 spikes, 1 invalid; 3 alerts expected, 1 resolved; 1 sync \(1 more past the sync timeout\) \/ 1 async answers/m,
    );
    expect(text).toContain('missing a1: expected "1× CRITICAL"');
    expect(text.split('\n')[0]).toContain('FAIL');
  });
});

describe('the streams in the harness', () => {
  it('counts every contradicting answer as a difference', () => {
    expect(answersDiff('answers', ['a', 'b'], 10)).toMatchObject({
      expectedKeys: 10,
      mismatched: 2,
      differences: 2,
    });
  });

  it("replays the sensor service's detector settings from the run's environment", () => {
    expect(detectorConfigOf({})).toEqual({ windowSize: 100, minWindow: 30, thresholdSigma: 3 });
    expect(detectorConfigOf({ ROLLING_WINDOW_SIZE: '50', ANOMALY_THRESHOLD_SIGMA: '2.5' })).toEqual({
      windowSize: 50,
      minWindow: 30,
      thresholdSigma: 2.5,
    });
  });

  it('plans kills over the processes that run (an events-only run keeps its old seeded plan)', () => {
    const events = planFaults(9, 60_000, 40, 1);
    expect(new Set(events.kills.map((k) => k.role))).toEqual(
      new Set(['gateway', 'consumer-1', 'consumer-2', 'projector']),
    );
    const all = planFaults(9, 60_000, 40, 1, ROLES);
    expect(all.kills.some((k) => k.role === 'sensors')).toBe(true);
    // A short plan kills each stream service at least once, and keeps its number of kills.
    for (const seed of [1, 2, 3, 4242, 20261130]) {
      const short = planFaults(seed, 60_000, 10, 1, ROLES);
      expect(short.kills).toHaveLength(10);
      expect(short.kills.filter((k) => k.role === 'sensors').length).toBeGreaterThan(0);
      expect(short.kills.filter((k) => k.role === 'metric-events').length).toBeGreaterThan(0);
    }
    expect(all.kills.some((k) => k.role === 'metric-events')).toBe(true);
  });
});
