import {
  type MachineEvent,
  type RawEventRecord,
  receivedEventOf,
  winnerFromEvent,
} from '@shopfloor/contracts';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { afterEach, describe, expect, test } from 'vitest';
import { dedupeBatch, findEvictedWinners } from './dedupe-processor.ts';
import { InMemoryStateStore } from './in-memory-state-store.ts';
import { lmdbStateStores } from './lmdb-state-store.ts';
import type { PartitionStateStore } from './state-store.ts';

const base: MachineEvent = {
  eventId: 'E1',
  eventTime: '2026-03-01T10:00:00.000Z',
  machineId: 'M1',
  lineId: 'L1',
  factoryId: 'F1',
  durationMs: 100,
  defectCount: 1,
};
let seq = 0;
const raw = (over: Partial<MachineEvent>, receivedAt: number): RawEventRecord => ({
  v: 1,
  batchId: 'b',
  seq: seq++ % 1000,
  batchSize: 1000,
  receivedAt,
  event: { ...base, ...over },
});

const dirs = tempDirs('shopfloor-lmdb-test-');
afterEach(dirs.removeAll);

const kinds: [string, () => { store: PartitionStateStore; close: () => Promise<void> }][] = [
  ['in-memory', () => ({ store: new InMemoryStateStore(0), close: async () => {} })],
  [
    'lmdb',
    () => {
      const dir = dirs.make();
      const stores = lmdbStateStores(dir);
      return { store: stores.open(0), close: () => stores.close() };
    },
  ],
];

describe.each(kinds)('dedupeBatch over the %s store', (_name, open) => {
  test('accepted, deduped (in one batch), updated and stale, with the changelog and change rows', async () => {
    const { store, close } = open();
    const first = dedupeBatch(store, [
      raw({}, 10),
      raw({}, 10),
      raw({ defectCount: 3 }, 11),
      raw({ defectCount: 2 }, 9),
    ]);
    expect(first.changes.map((c) => c.decision)).toEqual(['accepted', 'deduped', 'updated', 'stale']);
    expect(first.changes[2]!.rows.map((r) => [r.sign, r.defectCount, r.version])).toEqual([
      [-1, 1, 1],
      [1, 3, 2],
    ]);
    expect(first.stateWrites).toHaveLength(1);
    expect(first.stateWrites[0]![1]).toMatchObject({ defectCount: 3, version: 2 });
    // Nothing reaches the store before the commit (an aborted transaction leaves it untouched).
    expect(store.get('E1')).toBeUndefined();
    first.commit('42');
    expect(store.get('E1')).toMatchObject({ defectCount: 3, version: 2 });
    expect(store.checkpoint()).toBe('42');
    expect(store.count()).toBe(1);

    const second = dedupeBatch(store, [raw({ defectCount: 3 }, 20)]);
    expect(second.changes[0]!.decision).toBe('deduped');
    expect(second.changes[0]!.rows).toEqual([]);
    await close();
  });

  test('expiry drops old entries as tombstones; a winner found again is decided against', async () => {
    const { store, close } = open();
    dedupeBatch(store, [raw({ eventId: 'old' }, 1_000), raw({ eventId: 'new' }, 9_000)]).commit('2');
    expect(store.expired(5_000, 10)).toEqual(['old']);
    const swept = dedupeBatch(store, [], { expire: store.expired(5_000, 10) });
    expect(swept.stateWrites).toEqual([['old', null]]);
    swept.commit('3');
    expect(store.get('old')).toBeUndefined();
    expect(store.count()).toBe(1);

    // 'old' comes back: without the projection's winner it would look new and count twice.
    const fromProjection = winnerFromEvent(receivedEventOf(raw({ eventId: 'old' }, 1_000)), 1);
    const lookup = async (ids: readonly string[]) =>
      new Map(ids.filter((id) => id === 'old').map((id) => [id, fromProjection]));
    const incoming = [raw({ eventId: 'old' }, 10_000), raw({ eventId: 'other' }, 10_000)];
    const found = await findEvictedWinners(store, incoming, lookup);
    expect([...(found?.keys() ?? [])]).toEqual(['old']);
    const again = dedupeBatch(store, incoming, { found });
    expect(again.changes.map((c) => c.decision)).toEqual(['deduped', 'accepted']);
    const corrected = dedupeBatch(store, [raw({ eventId: 'old', defectCount: 7 }, 11_000)], { found });
    expect(corrected.changes[0]!.decision).toBe('updated');
    expect(corrected.changes[0]!.rows.map((r) => r.sign)).toEqual([-1, 1]);
    await close();
  });

  test('no lookup without a horizon, and none for ids the state has', async () => {
    const { store, close } = open();
    dedupeBatch(store, [raw({ eventId: 'a' }, 1)]).commit('1');
    expect(await findEvictedWinners(store, [raw({ eventId: 'a' }, 2)], undefined)).toBeUndefined();
    let asked: readonly string[] = [];
    await findEvictedWinners(store, [raw({ eventId: 'a' }, 2), raw({ eventId: 'b' }, 2)], async (ids) => {
      asked = ids;
      return new Map();
    });
    expect(asked).toEqual(['b']);
    await close();
  });
});

test("the LMDB count is each partition's own entries, after removals and a clear", async () => {
  const dir = dirs.make();
  const stores = lmdbStateStores(dir);
  const [a, b] = [stores.open(0), stores.open(1)];
  const winner = (id: string) =>
    dedupeBatch(new InMemoryStateStore(9), [raw({ eventId: id }, 1)]).stateWrites[0]![1]!;
  a.apply(
    ['x', 'y', 'z'].map((id) => [id, winner(id)]),
    '3',
  );
  b.apply([['x', winner('x')]], '1');
  expect([a.count(), b.count()]).toEqual([3, 1]); // the checkpoints (meta database) are not entries
  a.apply([['y', null]], '4');
  expect([a.count(), b.count()]).toEqual([2, 1]);
  a.clear();
  expect([a.count(), b.count()]).toEqual([0, 1]);
  await stores.close();
});

test('the LMDB expiry scan is bounded and resumes where it stopped', async () => {
  const dir = dirs.make();
  const stores = lmdbStateStores(dir);
  const store = stores.open(3);
  const records = Array.from({ length: 200 }, (_, i) =>
    raw({ eventId: `e${String(i).padStart(3, '0')}` }, i < 100 ? 1 : 100),
  );
  dedupeBatch(store, records).commit('200');
  const seen = new Set<string>();
  for (let i = 0; i < 120 && seen.size < 100; i++) for (const id of store.expired(50, 2)) seen.add(id);
  expect(seen.size).toBe(100);
  expect([...seen].every((id) => Number(id.slice(1)) < 100)).toBe(true);
  await stores.close();
});
