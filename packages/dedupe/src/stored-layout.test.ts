import { type ReceivedEvent, type WinnerState, winnerFromEvent } from '@shopfloor/contracts';
import { tempDirs } from '@shopfloor/test-support/temp-dirs';
import { open } from 'lmdb';
import { pack } from 'msgpackr';
import { afterEach, expect, test } from 'vitest';
import { lmdbStateStores } from './lmdb-state-store.ts';
import { storedAsIs, winnerLayout } from './stored-layout.ts';

const incoming: ReceivedEvent = {
  event: {
    eventId: 'E-7',
    eventTime: '2026-03-01T10:00:00.000Z',
    machineId: 'M-1',
    lineId: 'L-1',
    factoryId: 'F-1',
    durationMs: 1500,
    defectCount: -1,
  },
  eventTimeMs: Date.parse('2026-03-01T10:00:00.000Z'),
  receivedAt: 1_764_000_000_123,
};
const winner: WinnerState = winnerFromEvent(incoming, 3);

const dirs = tempDirs('shopfloor-layout-test-');
afterEach(dirs.removeAll);

test('a winner read back from its tuple equals the winner, payloadKey and eventId included', () => {
  const stored = winnerLayout.toStored(winner);
  expect(stored).toEqual([1_764_000_000_123, 3, incoming.eventTimeMs, 'M-1', 'L-1', 'F-1', 1500, -1]);
  expect(winnerLayout.fromStored('E-7', stored)).toEqual(winner);
  expect(winnerLayout.receivedAtOf(stored)).toBe(1_764_000_000_123);
});

test('the tuple is under a quarter of the object as msgpack', () => {
  const tuple = pack(winnerLayout.toStored(winner)).length;
  const object = pack(winner).length;
  expect(tuple * 4).toBeLessThan(object);
});

test('a winner stored as an object (the earlier layout) is read as it is', () => {
  expect(winnerLayout.fromStored('E-7', { ...winner })).toEqual(winner);
  expect(winnerLayout.receivedAtOf({ ...winner })).toBe(1_764_000_000_123);
});

test('storedAsIs stores and reads the value unchanged', () => {
  const layout = storedAsIs<{ receivedAt: number; n: number }>();
  const v = { receivedAt: 5, n: 1 };
  expect(layout.fromStored('k', layout.toStored(v))).toBe(v);
  expect(layout.receivedAtOf(layout.toStored(v))).toBe(5);
});

test('a store written by the earlier layout reads its winners and writes new ones as tuples', async () => {
  const dir = dirs.make();
  // What an earlier version left: objects in the partition's database, and its checkpoint.
  const before = open({ path: dir, noSync: true, maxDbs: 4096 });
  await before.openDB<WinnerState, string>({ name: 'p0' }).put('E-7', winner);
  await before.openDB<string, string>({ name: 'meta' }).put('checkpoint:0', '41');
  await before.close();

  const stores = lmdbStateStores(dir);
  const store = stores.open(0);
  expect(store.checkpoint()).toBe('41');
  expect(store.get('E-7')).toEqual(winner);
  const next = winnerFromEvent({ ...incoming, event: { ...incoming.event, eventId: 'E-8' } }, 1);
  store.apply([['E-8', next]], '42');
  expect(store.get('E-8')).toEqual(next);
  expect(store.expired(1_764_000_000_124, 10).sort()).toEqual(['E-7', 'E-8']);
  await stores.close();

  const raw = open({ path: dir, noSync: true, maxDbs: 4096 });
  expect(raw.openDB<unknown, string>({ name: 'p0' }).get('E-8')).toEqual(winnerLayout.toStored(next));
  await raw.close();
});
