import { describe, expect, it } from 'vitest';
import {
  insertMetricEvents,
  insertMetricFailedEvents,
  type MetricEventRow,
  queryMetricEventsPage,
  queryMetricFailedPage,
  queryMetricTotals,
} from '../src/index.ts';
import { embeddedClickHouseForFile } from '../src/testing/for-file.ts';

// The metric-events tables (migrations 0040, 0041) on the embedded engine: totals exact to the ms
// from the minute rollups plus the partial edge minutes, a replayed insert counted once, and the
// newest-first keyset pagination.
const t0 = Date.parse('2026-03-01T10:00:00Z');
const MIN = 60_000;

const db = embeddedClickHouseForFile();

const row = (
  i: number,
  atMs: number,
  amount: number,
  metric = 'clicks',
  clientId = 'c-1',
): MetricEventRow => ({
  id: i.toString(16).padStart(64, '0'),
  clientId,
  source: i % 2 === 0 ? 'web' : null,
  metric,
  amount,
  timestampMs: atMs,
  receivedAt: atMs + 5,
  requestId: `r-${i}`,
  seq: 0,
});

// 2^53 - 1 amounts: the totals must be exact past 2^63 too (Int128).
const BIG = Number.MAX_SAFE_INTEGER;
const rows: MetricEventRow[] = [
  row(1, t0 - 1, 1000), // just before the window
  row(2, t0, 1), // the first ms of the window
  row(3, t0 + 59_999, 2, 'views'), // the last ms of the first minute
  row(4, t0 + 2 * MIN + 7, 4), // a whole minute inside
  row(5, t0 + 5 * MIN - 1, 8, 'views'), // the last ms of the window
  row(6, t0 + 5 * MIN, 16), // the end: excluded
  row(7, t0 + 3 * MIN, 5, 'clicks', 'c-2'), // another client
  ...Array.from({ length: 2048 }, (_, i) => row(100 + i, t0 + 3 * MIN + i, BIG, 'big', 'c-big')),
];

describe('metric-events tables', () => {
  it('totals over [from, to) are exact at the ms bounds, per client and per metric, and a replay counts once', async () => {
    await insertMetricEvents(db.ch.writer, rows, { dedupToken: 'g1|metric:0:0-9' });
    await insertMetricEvents(db.ch.writer, rows, { dedupToken: 'g1|metric:0:0-9' }); // the replay
    const totals = (fromMs: number, toMs: number, byMetric = false, clientId = 'c-1') =>
      queryMetricTotals(db.ch.reader, { clientId, fromMs, toMs, byMetric });

    expect(await totals(t0, t0 + 5 * MIN)).toEqual([{ metric: null, count: 4, totalAmount: 15n }]);
    expect(await totals(t0 + 1, t0 + 5 * MIN - 1)).toEqual([{ metric: null, count: 2, totalAmount: 6n }]);
    expect(await totals(t0 - 1, t0 + 5 * MIN + 1)).toEqual([{ metric: null, count: 6, totalAmount: 1031n }]);
    expect(await totals(t0, t0 + 1)).toEqual([{ metric: null, count: 1, totalAmount: 1n }]);
    expect(await totals(t0 + 1, t0 + 1)).toEqual([{ metric: null, count: 0, totalAmount: 0n }]);
    expect(await totals(t0, t0 + 5 * MIN, true)).toEqual([
      { metric: 'clicks', count: 2, totalAmount: 5n },
      { metric: 'views', count: 2, totalAmount: 10n },
    ]);
    expect(await totals(t0, t0 + 5 * MIN, true, 'nobody')).toEqual([]);
    const big = await totals(t0, t0 + 10 * MIN, false, 'c-big');
    expect(big).toEqual([{ metric: null, count: 2048, totalAmount: 2048n * BigInt(BIG) }]);
  });

  it('lists counted events newest first, page after page, with filters', async () => {
    const seen: string[] = [];
    let after: { timestampMs: number; id: string } | undefined;
    for (;;) {
      const page = await queryMetricEventsPage(db.ch.reader, { clientId: 'c-1', limit: 4, after });
      if (page.length === 0) break;
      seen.push(...page.map((r) => r.id));
      const last = page.at(-1)!;
      after = { timestampMs: last.timestampMs, id: last.id };
    }
    expect(seen).toHaveLength(6);
    const all = await queryMetricEventsPage(db.ch.reader, { clientId: 'c-1', limit: 100 });
    expect(all.map((r) => r.timestampMs)).toEqual([...all.map((r) => r.timestampMs)].sort((a, b) => b - a));
    expect(all[0]).toMatchObject({ amount: 16, source: 'web', metric: 'clicks' });
    const window = await queryMetricEventsPage(db.ch.reader, {
      clientId: 'c-1',
      fromMs: t0,
      toMs: t0 + 5 * MIN,
      limit: 100,
    });
    expect(window.map((r) => r.amount)).toEqual([8, 4, 2, 1]);
  });

  it('lists failed events newest first with a cursor, and a replay adds none', async () => {
    const failed = Array.from({ length: 5 }, (_, i) => ({
      requestId: `req-${i}`,
      seq: 0,
      receivedAt: t0 + i,
      id: null,
      clientId: i === 4 ? null : 'c-1',
      reason: 'MISSING_FIELD',
      message: 'payload.amount is missing',
      payloadJson: '{"client_id":"c-1"}',
    }));
    await insertMetricFailedEvents(db.ch.writer, failed, { dedupToken: 'f1' });
    await insertMetricFailedEvents(db.ch.writer, failed, { dedupToken: 'f1' });
    const first = await queryMetricFailedPage(db.ch.reader, { clientId: 'c-1', limit: 3 });
    expect(first.map((r) => r.requestId)).toEqual(['req-3', 'req-2', 'req-1']);
    const last = first.at(-1)!;
    const second = await queryMetricFailedPage(db.ch.reader, {
      clientId: 'c-1',
      limit: 3,
      after: { receivedAt: last.receivedAt, requestId: last.requestId, seq: last.seq },
    });
    expect(second.map((r) => r.requestId)).toEqual(['req-0']);
    expect(await queryMetricFailedPage(db.ch.reader, { limit: 10 })).toHaveLength(5);
    expect(
      await queryMetricFailedPage(db.ch.reader, { fromMs: t0 + 1, toMs: t0 + 3, limit: 10 }),
    ).toHaveLength(2);
  });
});
