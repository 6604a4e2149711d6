import { describe, expect, it } from 'vitest';
import { equipmentStatus } from './alert.ts';
import type { DetectorConfig } from './anomaly-detector.ts';
import type { SensorReading } from './reading.ts';
import { alertIdFor, readingKey } from './reading-identity.ts';
import { RollingWindow } from './rolling-window.ts';
import { SensorProcessor, type SensorStateChange } from './sensor-processor.ts';

const config: DetectorConfig = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };
const t0 = Date.parse('2026-03-01T10:00:00Z');

function reading(i: number, value: number, over: Partial<SensorReading> = {}): SensorReading {
  const timestampMs = t0 + i * 1_000;
  return {
    readingId: `R-${i}`,
    equipmentId: 'EQ-1',
    sensorType: 'vibration',
    value,
    unit: 'mm/s',
    timestamp: new Date(timestampMs).toISOString(),
    timestampMs,
    ...over,
  };
}

/** A processor whose EQ-1 vibration baseline is 30 readings alternating 9 and 11 (mean 10, stddev 1). */
function warmedUp(): SensorProcessor {
  const p = new SensorProcessor(config);
  for (let i = 0; i < 30; i++) p.process(reading(i, i % 2 === 0 ? 9 : 11), t0);
  return p;
}

describe('SensorProcessor', () => {
  it('raises one alert of the right severity for a spike, with a deterministic id', () => {
    const p = warmedUp();
    const out = p.process(reading(100, 14.5), t0 + 5);
    expect(out.kind).toBe('processed');
    if (out.kind !== 'processed') return;
    expect(out.alert).toMatchObject({
      alertId: alertIdFor(readingKey(reading(100, 14.5))),
      equipmentId: 'EQ-1',
      sensorType: 'vibration',
      severity: 'MEDIUM',
      zScore: 4.5,
      mean: 10,
      stddev: 1,
      baselineCount: 30,
      receivedAt: t0 + 5,
    });
  });

  it('raises nothing for a duplicate, by readingId or by (equipment, sensor, instant)', () => {
    const p = warmedUp();
    expect(p.process(reading(100, 20), t0).kind).toBe('processed');
    expect(p.process(reading(100, 20), t0)).toEqual({
      kind: 'duplicate',
      readingKey: readingKey(reading(100, 20)),
    });
    expect(p.process(reading(100, 99), t0).kind).toBe('duplicate');
    const anonymous = reading(200, 30, { readingId: null, timestamp: '2026-03-01T10:03:20Z' });
    expect(p.process(anonymous, t0).kind).toBe('processed');
    const sameInstantOtherSpelling = { ...anonymous, timestamp: '2026-03-01T11:03:20+01:00' };
    expect(p.process(sameInstantOtherSpelling, t0).kind).toBe('duplicate');
    expect(p.process({ ...anonymous, sensorType: 'pressure' }, t0).kind).toBe('processed');
  });

  it('keeps one window per (equipment, sensor type)', () => {
    const p = warmedUp();
    const other = p.process(reading(300, 1_000, { equipmentId: 'EQ-2' }), t0);
    expect(other).toMatchObject({ kind: 'processed', assessment: { kind: 'warming-up' }, alert: null });
    expect(p.windowOf('EQ-1', 'vibration')?.count).toBe(30);
    expect(p.windowOf('EQ-2', 'vibration')?.count).toBe(1);
  });

  it('changelogs the new identities as one pack and each changed window, then nothing until the next change', () => {
    const p = new SensorProcessor(config);
    p.process(reading(1, 10), t0);
    p.process(reading(2, 12), t0);
    p.process(reading(1, 10), t0); // a duplicate: in no pack
    const changes = p.drainChanges();
    expect(changes.map((c) => c.key)).toEqual([
      `p\u001f${readingKey(reading(1, 10))}`,
      's\u001fEQ-1\u001fvibration\u001f0',
    ]);
    expect(changes[0]?.value?.identities).toEqual([
      { key: readingKey(reading(1, 10)), readingTs: reading(1, 10).timestampMs },
      { key: readingKey(reading(2, 12)), readingTs: reading(2, 12).timestampMs },
    ]);
    expect(changes[1]?.value).toMatchObject({
      window: null,
      slots: { first: 0, values: [10, 12], pushes: 2 },
    });
    expect(p.drainChanges()).toEqual([]);
  });

  it('with a state horizon, changelogs each new identity under its own key (its tombstone reclaims it)', () => {
    const p = new SensorProcessor(config, { horizonMs: 86_400_000, sweepIntervalMs: 60_000 });
    p.process(reading(1, 10), t0);
    p.process(reading(2, 12), t0);
    const changes = p.drainChanges();
    expect(changes.map((c) => [c.key, c.value?.readingTs])).toEqual([
      [readingKey(reading(1, 10)), reading(1, 10).timestampMs],
      [readingKey(reading(2, 12)), reading(2, 12).timestampMs],
      ['s\u001fEQ-1\u001fvibration\u001f0', null],
    ]);
  });

  it('dedupes across a restore from packs and from identities written one per record before them', () => {
    const live = new SensorProcessor(config);
    for (let i = 0; i < 5; i++) live.process(reading(i, 10), t0);
    const packed = live.drainChanges();
    const legacy: SensorStateChange[] = [
      { key: readingKey(reading(100, 0)), value: { v: 1, window: null, readingTs: t0 } },
      { key: readingKey(reading(101, 0)), value: { v: 1, window: null, readingTs: null } },
    ];
    const restored = restoredFrom([...legacy, ...packed]);
    for (const i of [0, 4, 100, 101]) expect(restored.process(reading(i, 10), t0).kind).toBe('duplicate');
    expect(restored.process(reading(5, 10), t0).kind).toBe('processed');
    expect(restored.seenIdentities).toBe(8);
  });

  it('writes only the runs of the window a transaction changed', () => {
    const p = warmedUp();
    p.drainChanges();
    p.process(reading(30, 10), t0);
    p.process(reading(31, 10), t0);
    const runs = p.drainChanges().filter((c) => c.value?.slots != null);
    expect(runs.map((c) => [c.key, c.value?.slots?.values])).toEqual([
      ['s\u001fEQ-1\u001fvibration\u001f30', [10, 10]],
    ]);
  });

  it('decides identically after a restore from its changelog (and dedupes across it)', () => {
    const live = new SensorProcessor(config);
    const restored = new SensorProcessor(config);
    for (let i = 0; i < 60; i++) live.process(reading(i, 10 + Math.sin(i)), t0);
    for (const change of JSON.parse(JSON.stringify(live.drainChanges()))) restored.restore(change);
    expect(restored.process(reading(5, 10), t0).kind).toBe('duplicate');
    for (let i = 60; i < 90; i++) {
      const r = reading(i, i === 70 ? 40 : 10 + Math.cos(i));
      expect(restored.process(r, t0)).toEqual(live.process(r, t0));
    }
  });

  /** Every change of `live` over `n` readings, drained every `every` readings (one transaction each). */
  function changelogOf(live: SensorProcessor, from: number, n: number, every: number): SensorStateChange[] {
    const log: SensorStateChange[] = [];
    for (let i = from; i < from + n; i++) {
      live.process(reading(i, 10 + Math.sin(i * 0.9) + (i % 5) * 0.01), t0);
      if ((i - from) % every === every - 1) log.push(...live.drainChanges());
    }
    log.push(...live.drainChanges());
    return log;
  }

  /** The changelog as compaction leaves it: the newest record per key, tombstones dropped, in log order. */
  function compact(log: SensorStateChange[]): SensorStateChange[] {
    const last = new Map<string, number>();
    log.forEach((c, i) => {
      last.set(c.key, i);
    });
    return log.filter((c, i) => last.get(c.key) === i && c.value !== null);
  }

  function restoredFrom(log: SensorStateChange[], c: DetectorConfig = config): SensorProcessor {
    const p = new SensorProcessor(c);
    for (const change of JSON.parse(JSON.stringify(log)) as SensorStateChange[]) p.restore(change);
    return p;
  }

  function expectSameDecisions(a: SensorProcessor, b: SensorProcessor, from: number): void {
    for (let i = from; i < from + 150; i++) {
      const r = reading(i, i % 40 === 7 ? 25 : 10 + Math.cos(i));
      expect(b.process(r, t0)).toEqual(a.process(r, t0));
    }
  }

  it('decides identically after a restore from runs written over many transactions, compacted or not', () => {
    for (const every of [1, 3, 17]) {
      const live = new SensorProcessor(config);
      const log = changelogOf(live, 0, 260, every);
      expectSameDecisions(live, restoredFrom(log), 1_000);
      const live2 = new SensorProcessor(config);
      const log2 = changelogOf(live2, 0, 260, every);
      expectSameDecisions(live2, restoredFrom(compact(log2)), 1_000);
    }
  });

  it('reads a whole-window record written before the runs, and replaces it by runs at its next change', () => {
    // The changelog as the former format wrote it: the identities and one whole window.
    const old = new RollingWindow(100);
    for (let i = 0; i < 120; i++) old.push(10 + Math.sin(i));
    const legacy: SensorStateChange[] = [
      { key: readingKey(reading(119, 0)), value: { v: 1, window: null, readingTs: t0 } },
      { key: 'w\u001fEQ-1\u001fvibration', value: { v: 1, window: old.snapshot(), readingTs: null } },
    ];
    const live = restoredFrom(legacy);
    expect(live.windowOf('EQ-1', 'vibration')?.values()).toEqual(old.values());
    expect(live.process(reading(119, 0), t0).kind).toBe('duplicate');
    live.process(reading(200, 10.5), t0);
    const next = live.drainChanges();
    // The whole window's tombstone first, then every run of the new layout.
    expect(next.slice(1).map((c) => c.key)).toEqual([
      'w\u001fEQ-1\u001fvibration',
      ...Array.from({ length: 10 }, (_, i) => `s\u001fEQ-1\u001fvibration\u001f${i * 10}`),
    ]);
    expect(next[1]?.value).toBeNull();
    const log = [...legacy, ...next];
    expectSameDecisions(live, restoredFrom(log), 1_000);
    const again = restoredFrom(log);
    expect(again.drainChanges()).toEqual([]);
  });

  it('re-lays runs written under another window size out under the configured one', () => {
    const live = new SensorProcessor(config);
    const log = changelogOf(live, 0, 150, 4);
    const smaller: DetectorConfig = { ...config, windowSize: 50 };
    const resized = restoredFrom(log, smaller);
    expect(resized.windowOf('EQ-1', 'vibration')?.values()).toEqual(
      live.windowOf('EQ-1', 'vibration')?.values().slice(-50),
    );
    resized.process(reading(500, 10), t0);
    const relaid = resized.drainChanges().filter((c) => c.value?.slots != null);
    expect(relaid.map((c) => c.value?.slots?.first)).toEqual([0, 10, 20, 30, 40]);
    // Old-layout runs stay in the log (they are not tombstoned); the new ones win over them.
    expectSameDecisions(resized, restoredFrom([...log, ...relaid], smaller), 1_000);
  });

  it('starts a series over when its runs cannot give a window, says so once, and restores its new runs', () => {
    const live = new SensorProcessor(config);
    const log = compact(changelogOf(live, 0, 100, 10));
    const damaged = log.filter((c) => c.key !== 's\u001fEQ-1\u001fvibration\u001f20');
    const p = restoredFrom(damaged);
    expect(p.process(reading(300, 10), t0)).toMatchObject({
      kind: 'processed',
      assessment: { kind: 'warming-up' },
    });
    expect(p.windowOf('EQ-1', 'vibration')?.count).toBe(1);
    expect(p.drainUnrestorableWindows()).toEqual([
      { series: 'EQ-1\u001fvibration', reason: 'ring position 20 missing' },
    ]);
    expect(p.drainUnrestorableWindows()).toEqual([]);
    const fresh = p.drainChanges();
    expectSameDecisions(p, restoredFrom([...damaged, ...fresh]), 1_000);
  });

  it('a replay of the same log raises the same alerts', () => {
    const log = Array.from({ length: 200 }, (_, i) =>
      reading(i, i % 37 === 36 ? 30 : 10 + Math.sin(i * 1.7)),
    );
    const run = () => {
      const p = new SensorProcessor(config);
      return log.flatMap((r) => {
        const out = p.process(r, t0);
        return out.kind === 'processed' && out.alert !== null ? [out.alert] : [];
      });
    };
    const first = run();
    expect(first.length).toBeGreaterThan(0);
    expect(run()).toEqual(first);
  });
});

describe('equipmentStatus', () => {
  it('is OK without open alerts, WARNING with LOW or MEDIUM ones, CRITICAL with a CRITICAL one', () => {
    expect(equipmentStatus([])).toBe('OK');
    expect(equipmentStatus(['LOW'])).toBe('WARNING');
    expect(equipmentStatus(['MEDIUM', 'LOW'])).toBe('WARNING');
    expect(equipmentStatus(['LOW', 'CRITICAL', 'MEDIUM'])).toBe('CRITICAL');
  });
});
