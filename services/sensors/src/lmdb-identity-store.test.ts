import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_FUTURE_SKEW_MS } from '@shopfloor/contracts';
import {
  type DetectorConfig,
  type IdentityStore,
  MapIdentityStore,
  SeenIdentities,
  SensorProcessor,
  type SensorReading,
} from '@shopfloor/sensors';
import { afterEach, describe, expect, it } from 'vitest';
import { type IdentityStores, lmdbIdentityStores } from './lmdb-identity-store.ts';

const HOUR = 3_600_000;
const t0 = Date.parse('2026-03-01T00:00:00Z');
const config: DetectorConfig = { windowSize: 20, minWindow: 5, thresholdSigma: 3 };

const opened: { stores: IdentityStores; dir: string }[] = [];
function openStores(dir = mkdtempSync(path.join(tmpdir(), 'identities-'))): IdentityStores {
  const stores = lmdbIdentityStores(dir);
  opened.push({ stores, dir });
  return stores;
}
afterEach(async () => {
  for (const { stores, dir } of opened.splice(0)) {
    await stores.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

function reading(i: number, value: number, readingId: string | null = `r-${i}`): SensorReading {
  const timestampMs = t0 + i * 1000;
  return {
    readingId,
    equipmentId: `EQ-${i % 3}`,
    sensorType: 'vibration',
    value,
    unit: 'mm/s',
    timestamp: new Date(timestampMs).toISOString(),
    timestampMs,
  };
}

describe('lmdbIdentityStores', () => {
  it('reads its buffered writes before the flush, and keeps them after it', () => {
    const store = openStores().open(0);
    store.set('a', t0);
    store.set('b', null);
    expect([store.has('a'), store.has('b'), store.has('c')]).toEqual([true, true, false]);
    store.delete('a');
    expect(store.has('a')).toBe(false);
    store.flush();
    expect([store.has('a'), store.has('b')]).toEqual([false, true]);
    expect([...store.entries()]).toEqual([['b', null]]);
    expect(store.size).toBe(1);
  });

  it('counts buffered writes in its size, and flushes by itself past a bound (a restore of many)', () => {
    const store = openStores().open(0);
    for (let i = 0; i < 50_000; i++) store.set(`id-${i}`, t0 + i);
    expect(store.size).toBe(50_000);
    store.delete('id-7');
    expect(store.size).toBe(49_999);
    expect(store.has('id-49999')).toBe(true);
  });

  it('keeps partitions apart, and clear() forgets one partition only', () => {
    const stores = openStores();
    const p0 = stores.open(0);
    const p1 = stores.open(1);
    p0.set('x', t0);
    p1.set('y', t0);
    p0.flush();
    p1.flush();
    expect([p0.has('y'), p1.has('x')]).toEqual([false, false]);
    p0.clear();
    expect([p0.has('x'), p0.size, p1.has('y')]).toEqual([false, 0, true]);
    expect(stores.open(1)).toBe(p1);
  });

  it('starts empty even where a previous run left identities (they are rebuilt from the changelog)', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'identities-'));
    const first = lmdbIdentityStores(dir);
    first.open(2).set('left-behind', t0);
    first.open(2).flush();
    await first.close();
    writeFileSync(path.join(dir, 'unrelated'), 'removed too');
    const second = openStores(dir).open(2);
    expect([second.has('left-behind'), second.size]).toEqual([false, 0]);
  });
});

describe('the sensor processor on LMDB identities', () => {
  const stores = (): [string, () => IdentityStore][] => [
    ['Map', () => new MapIdentityStore()],
    ['LMDB', () => openStores().open(0)],
  ];

  it('decides every reading as it does on a Map: duplicates within and across batches, the same changelog', () => {
    const runs = stores().map(([name, make]) => {
      const p = new SensorProcessor(config, undefined, make());
      const batches = [
        [reading(1, 10), reading(2, 11), reading(1, 10), reading(3, 10, null), reading(3, 10, null)],
        [reading(2, 11), reading(4, 10), reading(3, 10, null), reading(5, 12)],
      ];
      const outcomes = batches.map((batch) => {
        const decided = batch.map((r) => p.process(r, r.timestampMs + 5).kind);
        return { decided, changes: p.drainChanges() };
      });
      return { name, outcomes, size: p.seenIdentities };
    });
    const [map, lmdb] = runs;
    expect(lmdb!.outcomes).toEqual(map!.outcomes);
    expect(lmdb!.outcomes.map((o) => o.decided)).toEqual([
      ['processed', 'processed', 'duplicate', 'processed', 'duplicate'],
      ['duplicate', 'processed', 'duplicate', 'processed'],
    ]);
    expect([map!.size, lmdb!.size]).toEqual([5, 5]);
  });

  it('restores identities from changelog entries (a tombstone drops one) and dedupes against them', () => {
    const store = openStores().open(0);
    const p = new SensorProcessor(config, undefined, store);
    p.restore({ key: 'id\u001fr-1', value: { v: 1, window: null, slots: null, readingTs: t0 } });
    p.restore({ key: 'id\u001fr-2', value: { v: 1, window: null, slots: null, readingTs: t0 } });
    p.restore({ key: 'id\u001fr-2', value: null });
    expect(p.process(reading(1, 10), t0 + 5).kind).toBe('duplicate');
    expect(p.process(reading(2, 10), t0 + 5).kind).toBe('processed');
  });

  it('sweeps past the horizon through the store: tombstones for the old, stamps for the unstamped', () => {
    const horizon = { horizonMs: 24 * HOUR, sweepIntervalMs: 60_000 };
    const store = openStores().open(0);
    const seen = new SeenIdentities(horizon, undefined, store);
    seen.add('old', t0);
    seen.add('legacy', null);
    seen.add('new', t0 + 2 * HOUR);
    seen.observe(t0 + 24 * HOUR + MAX_FUTURE_SKEW_MS + 60_001);
    const swept = seen.sweep();
    expect(swept.evicted).toEqual(['old']);
    expect(swept.stamped.map((s) => s.key)).toEqual(['legacy']);
    seen.flush();
    expect([seen.has('old'), seen.has('legacy'), seen.has('new'), seen.size]).toEqual([false, true, true, 2]);
    expect([...store.entries()].find(([k]) => k === 'legacy')?.[1]).toBe(
      t0 + 24 * HOUR + MAX_FUTURE_SKEW_MS + 60_001,
    );
  });
});
