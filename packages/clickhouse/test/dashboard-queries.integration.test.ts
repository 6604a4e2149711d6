import { seededRandom } from '@shopfloor/contracts/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type EventChangeRow,
  insertBatchEvents,
  insertEventChanges,
  queryFactoryIds,
  queryMachinesStats,
  queryOutcomeBuckets,
  queryOutcomeTotals,
} from '../src/index.ts';
import {
  type EmbeddedClickHouse,
  queryMachineStatsFromFinal,
  startEmbeddedClickHouse,
} from '../src/testing/index.ts';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 1, 10, 0, 0, 0);

let ch: EmbeddedClickHouse;

beforeAll(async () => {
  ch = await startEmbeddedClickHouse();
});

afterAll(async () => {
  await ch?.stop();
});

describe('queryMachinesStats', () => {
  it('equals a FINAL scan per machine for minute-aligned and ms-edged windows, corrections included', async () => {
    const random = seededRandom(13);
    const winners = new Map<string, Omit<EventChangeRow, 'sign'>>();
    const changes: EventChangeRow[] = [];
    for (let i = 0; i < 400; i++) {
      const w = {
        eventId: `dq-${i % 300}`,
        eventTimeMs: T0 + Math.floor(random() * 90 * MIN),
        machineId: `M-${Math.floor(random() * 5)}`,
        lineId: `L-${Math.floor(random() * 3)}`,
        factoryId: `F-${Math.floor(random() * 2)}`,
        durationMs: 100,
        defectCount: Math.floor(random() * 6) - 1,
        receivedAt: T0 + i,
        version: i + 1,
      };
      const previous = winners.get(w.eventId);
      // A correction retracts the previous winner (possibly on another machine and minute).
      if (previous) changes.push({ ...previous, sign: -1 });
      changes.push({ ...w, sign: 1 });
      winners.set(w.eventId, w);
    }
    await insertEventChanges(ch.writer, changes, { dedupToken: 'dashboard-queries-1' });

    const windows: [number, number][] = [
      [T0, T0 + 90 * MIN],
      [T0 + 10 * MIN, T0 + 40 * MIN],
      [T0 + 7 * MIN + 123, T0 + 61 * MIN + 999],
      [T0 + 5 * MIN + 1, T0 + 5 * MIN + 30_000],
    ];
    for (const [fromMs, toMs] of windows) {
      const listed = await queryMachinesStats(ch.reader, { fromMs, toMs, limit: 100 });
      const expected = [];
      for (let m = 0; m < 5; m++) {
        const machineId = `M-${m}`;
        const oracle = await queryMachineStatsFromFinal(ch.reader, {
          machineId,
          startMs: fromMs,
          endMs: toMs,
        });
        if (oracle.eventsCount > 0) expected.push({ machineId, ...oracle });
      }
      expected.sort((a, b) => b.defectsCount - a.defectsCount || (a.machineId < b.machineId ? -1 : 1));
      expect(listed, `[${fromMs}, ${toMs})`).toEqual(expected);
    }
    expect(await queryMachinesStats(ch.reader, { fromMs: T0, toMs: T0 + 90 * MIN, limit: 2 })).toHaveLength(
      2,
    );
    expect(await queryMachinesStats(ch.reader, { fromMs: T0, toMs: T0, limit: 10 })).toEqual([]);
  });

  it('lists the factories with events in the minutes a window touches', async () => {
    expect(await queryFactoryIds(ch.reader, { fromMs: T0, toMs: T0 + 90 * MIN })).toEqual(['F-0', 'F-1']);
    expect(await queryFactoryIds(ch.reader, { fromMs: T0 - 60 * MIN, toMs: T0 })).toEqual([]);
  });
});

describe('queryOutcomeBuckets', () => {
  it('counts outcomes per 10 s bucket, decision and reason; a replay with the same token counts once', async () => {
    const batch = [
      { decision: 'accepted', at: T0 + 1_000 },
      { decision: 'accepted', at: T0 + 9_999 },
      { decision: 'deduped', at: T0 + 10_000 },
      { decision: 'rejected', reason: 'INVALID_DURATION', at: T0 + 12_000 },
      { decision: 'rejected', reason: 'INVALID_DURATION', at: T0 + 13_000 },
      { decision: 'rejected', reason: 'FUTURE_EVENT_TIME', at: T0 + 25_000 },
    ] as const;
    const rows = batch.map((b, seq) => ({
      batchId: 'dash-b1',
      seq,
      batchSize: batch.length,
      eventId: `e-${seq}`,
      decision: b.decision,
      reason: 'reason' in b ? b.reason : '',
      recordedAt: b.at,
    }));
    await insertBatchEvents(ch.writer, rows, { dedupToken: 'dash-b1' });
    await insertBatchEvents(ch.writer, rows, { dedupToken: 'dash-b1' });

    expect(await queryOutcomeBuckets(ch.reader, { fromMs: T0, toMs: T0 + 30_000 })).toEqual([
      { bucketMs: T0, decision: 'accepted', reason: '', events: 2 },
      { bucketMs: T0 + 10_000, decision: 'deduped', reason: '', events: 1 },
      { bucketMs: T0 + 10_000, decision: 'rejected', reason: 'INVALID_DURATION', events: 2 },
      { bucketMs: T0 + 20_000, decision: 'rejected', reason: 'FUTURE_EVENT_TIME', events: 1 },
    ]);
    // Buckets that START in the range: [T0 + 1 ms, T0 + 20 s) holds only the bucket at T0 + 10 s.
    const middle = await queryOutcomeBuckets(ch.reader, { fromMs: T0 + 1, toMs: T0 + 20_000 });
    expect(middle.map((b) => b.bucketMs)).toEqual([T0 + 10_000, T0 + 10_000]);
    expect(await queryOutcomeTotals(ch.reader, { fromMs: T0, toMs: T0 + 60_000 })).toEqual([
      { decision: 'accepted', reason: '', events: 2 },
      { decision: 'rejected', reason: 'INVALID_DURATION', events: 2 },
      { decision: 'deduped', reason: '', events: 1 },
      { decision: 'rejected', reason: 'FUTURE_EVENT_TIME', events: 1 },
    ]);
  });
});
