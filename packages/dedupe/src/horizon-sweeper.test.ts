import { readFileSync } from 'node:fs';
import {
  type RawEventRecord,
  receivedEventOf,
  type WinnerState,
  winnerFromEvent,
} from '@shopfloor/contracts';
import { describe, expect, it } from 'vitest';
import { createHorizonSweeper, noHorizon } from './horizon-sweeper.ts';
import { InMemoryStateStore } from './in-memory-state-store.ts';
import type { WinnerLookup } from './state-store.ts';

const fixture: RawEventRecord = JSON.parse(
  readFileSync(new URL('../../contracts/fixtures/raw-event-record.v1.json', import.meta.url), 'utf8'),
);
const raw = (eventId: string, receivedAt: number): RawEventRecord => ({
  ...fixture,
  receivedAt,
  event: { ...fixture.event, eventId },
});
const winner = (eventId: string, receivedAt: number): WinnerState =>
  winnerFromEvent(receivedEventOf(raw(eventId, receivedAt)), 1);

/** A store holding E-old (received at 1 000) and E-new (received at 9 000). */
function storeWithTwoEntries(partition = 0) {
  const store = new InMemoryStateStore(partition);
  store.apply(
    [
      ['E-old', winner('E-old', 1_000)],
      ['E-new', winner('E-new', 9_000)],
    ],
    '2',
  );
  return store;
}

const noLookup: WinnerLookup = async () => new Map();

describe('createHorizonSweeper', () => {
  it('expires the entries received before the horizon, and only those', async () => {
    const sweep = createHorizonSweeper({
      horizonMs: 5_000,
      sweepIntervalMs: 100,
      lookup: noLookup,
      now: () => 10_000,
    });
    expect(await sweep(storeWithTwoEntries(), [])).toEqual({ expire: ['E-old'] });
  });

  it('keeps an expired entry that the batch decides on', async () => {
    const sweep = createHorizonSweeper({
      horizonMs: 5_000,
      sweepIntervalMs: 100,
      lookup: noLookup,
      now: () => 10_000,
    });
    expect(await sweep(storeWithTwoEntries(), [raw('E-old', 10_000)])).toEqual({ expire: [] });
  });

  it('sweeps each partition at most once per interval', async () => {
    let clock = 10_000;
    const sweep = createHorizonSweeper({
      horizonMs: 5_000,
      sweepIntervalMs: 1_000,
      lookup: noLookup,
      now: () => clock,
    });
    const p0 = storeWithTwoEntries(0);
    const p1 = storeWithTwoEntries(1);
    expect((await sweep(p0, [])).expire).toEqual(['E-old']);
    clock += 999;
    expect((await sweep(p0, [])).expire).toBeUndefined();
    expect((await sweep(p1, [])).expire).toEqual(['E-old']);
    clock += 1;
    expect((await sweep(p0, [])).expire).toEqual(['E-old']);
  });

  it('drops at most maxEvictionsPerBatch entries per sweep', async () => {
    const store = new InMemoryStateStore(0);
    store.apply(
      Array.from({ length: 10 }, (_, i) => [`E-${i}`, winner(`E-${i}`, i)] as const),
      '10',
    );
    const sweep = createHorizonSweeper({
      horizonMs: 1_000,
      sweepIntervalMs: 0,
      lookup: noLookup,
      maxEvictionsPerBatch: 3,
      now: () => 100_000,
    });
    expect((await sweep(store, [])).expire).toHaveLength(3);
  });

  it('looks up only the incoming eventIds missing from the state', async () => {
    const asked: string[][] = [];
    const lookup: WinnerLookup = async (ids) => {
      asked.push([...ids]);
      return new Map(ids.filter((id) => id === 'E-gone').map((id) => [id, winner(id, 500)]));
    };
    const sweep = createHorizonSweeper({ horizonMs: 60_000, sweepIntervalMs: 0, lookup, now: () => 10_000 });
    const changes = await sweep(storeWithTwoEntries(), [
      raw('E-new', 10_000),
      raw('E-gone', 10_000),
      raw('E-unknown', 10_000),
    ]);
    expect(asked).toEqual([['E-gone', 'E-unknown']]);
    expect(changes.found).toEqual(new Map([['E-gone', winner('E-gone', 500)]]));
  });
});

describe('noHorizon', () => {
  it('expires nothing and finds nothing', async () => {
    expect(await noHorizon(storeWithTwoEntries(), [raw('E-x', 1)])).toEqual({});
  });
});
