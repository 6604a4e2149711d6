import { MAX_FUTURE_SKEW_MS } from '@shopfloor/contracts';
import { describe, expect, it } from 'vitest';
import type { DetectorConfig } from './anomaly-detector.ts';
import type { SensorReading } from './reading.ts';
import { readingKey } from './reading-identity.ts';
import { pastHorizon, SeenIdentities } from './seen-identities.ts';
import { SensorProcessor, type SensorStateChange } from './sensor-processor.ts';

const HOUR = 3_600_000;
const horizon = { horizonMs: 24 * HOUR, sweepIntervalMs: 60_000 };
const t0 = Date.parse('2026-03-01T00:00:00Z');
const config: DetectorConfig = { windowSize: 100, minWindow: 30, thresholdSigma: 3 };

function reading(id: string, timestampMs: number): SensorReading {
  return {
    readingId: id,
    equipmentId: 'EQ-1',
    sensorType: 'pressure',
    value: 1,
    unit: 'bar',
    timestamp: new Date(timestampMs).toISOString(),
    timestampMs,
  };
}

describe('pastHorizon (the rule the webhook and the processor share)', () => {
  it('is strict: exactly the horizon old is still inside', () => {
    expect(pastHorizon(t0 - 24 * HOUR, t0, 24 * HOUR)).toBe(false);
    expect(pastHorizon(t0 - 24 * HOUR - 1, t0, 24 * HOUR)).toBe(true);
  });
});

describe('SeenIdentities', () => {
  it('without a horizon keeps every identity and never calls a reading undecidable', () => {
    const seen = new SeenIdentities(undefined);
    seen.add('a', t0);
    seen.observe(t0 + 1000 * 24 * HOUR);
    expect(seen.sweep()).toEqual({ evicted: [], stamped: [] });
    expect(seen.has('a')).toBe(true);
    expect(seen.undecidable(t0, t0 + 1000 * 24 * HOUR)).toBe(false);
  });

  it('drops an identity once the watermark is the horizon plus the clock skew past its timestamp', () => {
    const seen = new SeenIdentities(horizon);
    seen.add('old', t0);
    seen.add('new', t0 + HOUR);
    seen.observe(t0 + 24 * HOUR + MAX_FUTURE_SKEW_MS); // exactly at the edge: kept
    expect(seen.sweep().evicted).toEqual([]);
    seen.observe(t0 + 24 * HOUR + MAX_FUTURE_SKEW_MS + 60_001);
    expect(seen.sweep()).toEqual({ evicted: ['old'], stamped: [] });
    expect(seen.has('old')).toBe(false);
    expect(seen.has('new')).toBe(true);
  });

  it('sweeps at most once per interval of the watermark (the log time, not the wall clock)', () => {
    const seen = new SeenIdentities(horizon);
    seen.observe(t0);
    seen.sweep();
    seen.add('x', t0 - 48 * HOUR);
    seen.observe(t0 + 59_999);
    expect(seen.sweep().evicted).toEqual([]);
    seen.observe(t0 + 60_000);
    expect(seen.sweep().evicted).toEqual(['x']);
  });

  it('a sweep changes at most its bound; the rest goes on the next batch', () => {
    const seen = new SeenIdentities(horizon, 2);
    for (const id of ['a', 'b', 'c']) seen.add(id, t0);
    seen.observe(t0 + 30 * 24 * HOUR);
    expect(seen.sweep().evicted).toEqual(['a', 'b']);
    expect(seen.sweep().evicted).toEqual(['c']); // the interval did not restart: the sweep was cut short
    expect(seen.size).toBe(0);
  });

  it('stamps an identity restored without a timestamp with the watermark, then keeps it a horizon', () => {
    const seen = new SeenIdentities(horizon);
    seen.add('legacy', null);
    seen.observe(t0);
    expect(seen.sweep()).toEqual({ evicted: [], stamped: [{ key: 'legacy', readingTs: t0 }] });
    seen.observe(t0 + 24 * HOUR + MAX_FUTURE_SKEW_MS + 60_001);
    expect(seen.sweep().evicted).toEqual(['legacy']);
  });

  it('calls undecidable what the webhook rejects and what a sweep may have dropped', () => {
    const seen = new SeenIdentities(horizon);
    expect(seen.undecidable(t0 - 24 * HOUR - 1, t0)).toBe(true); // past the horizon at its gateway
    expect(seen.undecidable(t0 - 24 * HOUR, t0)).toBe(false);
    seen.observe(t0 + 10 * 24 * HOUR); // another gateway's later receivedAt moved the watermark
    expect(seen.undecidable(t0, t0 + 24 * HOUR)).toBe(true);
  });
});

describe('SensorProcessor with a state horizon', () => {
  const drainAll = (p: SensorProcessor, log: SensorStateChange[]) => log.push(...p.drainChanges());

  it('tombstones old identities in its changelog, and a restore from it holds exactly the live ones', () => {
    const p = new SensorProcessor(config, horizon);
    const log: SensorStateChange[] = [];
    p.process(reading('R-1', t0), t0);
    p.process(reading('R-2', t0 + 2 * 24 * HOUR), t0 + 2 * 24 * HOUR);
    drainAll(p, log);
    expect(p.seenIdentities).toBe(1); // R-1 left at the first sweep past its horizon
    const tombstones = log.filter((c) => c.value === null).map((c) => c.key);
    expect(tombstones).toEqual([readingKey(reading('R-1', t0))]);
    expect(log.find((c) => c.key === readingKey(reading('R-2', 0)))?.value?.readingTs).toBe(
      t0 + 2 * 24 * HOUR,
    );

    const restored = new SensorProcessor(config, horizon);
    for (const change of log) restored.restore(change);
    expect(restored.seenIdentities).toBe(1);
    // The same decisions after the restore: R-2 is a duplicate...
    expect(restored.process(reading('R-2', t0 + 2 * 24 * HOUR), t0 + 2 * 24 * HOUR).kind).toBe('duplicate');
    // ...and R-1, gone from the state, is never taken for a new reading.
    expect(restored.process(reading('R-1', t0), t0 + 2 * 24 * HOUR).kind).toBe('duplicate');
    expect(restored.drainChanges().filter((c) => c.value !== null && c.key.startsWith('id'))).toEqual([]);
  });

  it('an identity seen and dropped in one batch stays dropped after a restore (tombstone last)', () => {
    const p = new SensorProcessor(config, horizon);
    p.process(reading('R-old', t0), t0);
    p.process(reading('R-late', t0 + 3 * 24 * HOUR), t0 + 3 * 24 * HOUR);
    const changes = p.drainChanges();
    const oldKey = readingKey(reading('R-old', t0));
    const forOld = changes.filter((c) => c.key === oldKey);
    expect(forOld.map((c) => c.value === null)).toEqual([false, true]);
    const restored = new SensorProcessor(config, horizon);
    for (const change of changes) restored.restore(change);
    expect(restored.seenIdentities).toBe(p.seenIdentities);
  });

  it('without a horizon nothing is dropped (the default)', () => {
    const p = new SensorProcessor(config);
    p.process(reading('R-1', t0), t0);
    p.process(reading('R-2', t0 + 400 * 24 * HOUR), t0 + 400 * 24 * HOUR);
    expect(p.drainChanges().some((c) => c.value === null)).toBe(false);
    expect(p.seenIdentities).toBe(2);
    expect(p.process(reading('R-1', t0), t0 + 400 * 24 * HOUR).kind).toBe('duplicate');
  });
});
