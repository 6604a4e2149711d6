import { ok, type StepResult } from '@shopfloor/contracts';
import { createShopfloorMetrics } from '@shopfloor/metrics';
import { parsePrometheusText, sumBy, sumOf } from '@shopfloor/metrics/testing';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import type { AppliedGroup, GroupToApply } from './apply-group.ts';
import { createGroupSink, emptyCounters, type FetchedBatch, ProjectorStoppedError } from './group-sink.ts';
import { groupToken, partitionKey } from './range-group.ts';
import { createRetryWithHeartbeat } from './retry-with-heartbeat.ts';
import type { SinkState } from './sink-state.ts';
import { fakeWriter } from './testing/fake-writer.ts';
import { CHANGES, DLQ, group, messages, offsets, range } from './testing/records.ts';

const log = pino({ level: 'silent' });
const heartbeat = async () => {};
const batch = (topic: string, partition: number, from: number, to: number): FetchedBatch => ({
  topic,
  partition,
  messages: messages(from, to),
  heartbeat,
});
const emptyState = (): SinkState => ({
  appliedUpTo: new Map(),
  unappliedGroup: undefined,
  heldBack: new Map(),
  lastMarkerAt: 0,
});

function harness(state = emptyState(), metrics = createShopfloorMetrics({ defaultMetrics: false })) {
  const ch = fakeWriter();
  const applied: string[] = [];
  let nextResult: (() => StepResult<AppliedGroup>) | undefined;
  const applyGroup = async ({ group: g }: GroupToApply) => {
    applied.push(
      `${groupToken(g)} ${[...g.ranges.values()].map((r) => offsets(r.messages).join('.')).join(' ')}`,
    );
    const result = nextResult;
    nextResult = undefined;
    return result?.() ?? ok({ changeRows: 1, outcomes: 1, invalidRecords: 0 });
  };
  const counters = emptyCounters();
  let clock = 1_000;
  const sink = createGroupSink({
    state,
    writer: ch.writer,
    applyGroup,
    retry: createRetryWithHeartbeat(log, { retries: 1, sleep: async () => {} }),
    log,
    counters,
    metrics: metrics.projector,
    now: () => clock++,
  });
  const markers = () => ch.inserts.filter((i) => i.table === 'sink_offsets');
  return {
    ch,
    sink,
    applied,
    counters,
    markers,
    failApplyWith: (result: () => StepResult<AppliedGroup>) => {
      nextResult = result;
    },
  };
}

describe('group sink', () => {
  it('records a group in sink_offsets, then applies exactly those records', async () => {
    const h = harness();
    await h.sink.flush([batch(CHANGES, 1, 10, 12), batch(DLQ, 0, 0, 0)]);
    const token = 'g1000|events.changes:1:10-12,events.dlq:0:0-0';
    expect(h.markers()).toEqual([
      {
        table: 'sink_offsets',
        token: `${token}:marker`,
        values: [
          [CHANGES, 1, 10, 12, '1970-01-01 00:00:01.000'],
          [DLQ, 0, 0, 0, '1970-01-01 00:00:01.000'],
        ],
      },
    ]);
    expect(h.applied).toEqual([`${token} 10.11.12 0`]);
    expect(h.counters).toMatchObject({ groups: 1, partitionRanges: 2, records: 4, reappliedGroups: 0 });
    expect(h.sink.state().unappliedGroup).toBeUndefined();
    expect(h.sink.state().appliedUpTo.get(partitionKey(CHANGES, 1))).toBe(12n);
  });

  it('after a restart, waits for every record of the recorded group, re-applies it, then goes on', async () => {
    const h = harness({
      ...emptyState(),
      appliedUpTo: new Map([[partitionKey(CHANGES, 0), 4n]]),
      unappliedGroup: group(777, range(CHANGES, 0, 5, 7)),
      lastMarkerAt: 777,
    });
    await h.sink.flush([batch(CHANGES, 0, 5, 6), batch(DLQ, 0, 0, 1)]);
    expect(h.applied).toEqual([]);
    expect(h.markers()).toEqual([]);
    await h.sink.flush([batch(CHANGES, 0, 7, 9)]);
    expect(h.applied).toEqual([
      'g777|events.changes:0:5-7 5.6.7',
      'g1000|events.changes:0:8-9,events.dlq:0:0-1 0.1 8.9',
    ]);
    expect(h.counters).toMatchObject({ groups: 1, reappliedGroups: 1, records: 4 });
  });

  it('reports new and re-applied groups, their sizes and the sink_offsets insert (metrics port)', async () => {
    const metrics = createShopfloorMetrics({ defaultMetrics: false });
    const h = harness(
      {
        ...emptyState(),
        appliedUpTo: new Map([[partitionKey(CHANGES, 0), 4n]]),
        unappliedGroup: group(777, range(CHANGES, 0, 5, 7)),
        lastMarkerAt: 777,
      },
      metrics,
    );
    await h.sink.flush([batch(CHANGES, 0, 5, 9), batch(DLQ, 0, 0, 1)]);
    const samples = parsePrometheusText(await metrics.scrape());
    expect(sumBy(samples, 'shopfloor_projector_groups_total', 'kind')).toEqual({ new: 1, reapplied: 1 });
    expect(sumOf(samples, 'shopfloor_projector_group_records_sum')).toBe(3 + 4);
    expect(sumOf(samples, 'shopfloor_projector_group_partitions_sum')).toBe(1 + 2);
    expect(sumOf(samples, 'shopfloor_projector_inserted_rows_total', { table: 'sink_offsets' })).toBe(2);
    expect(
      sumOf(samples, 'shopfloor_projector_insert_duration_seconds_count', { table: 'sink_offsets' }),
    ).toBe(1);
  });

  it('re-applies a group whose apply failed before forming the next one, with the same token', async () => {
    const h = harness();
    h.failApplyWith(() => {
      throw new Error('ClickHouse down');
    });
    await expect(h.sink.flush([batch(CHANGES, 0, 0, 1)])).rejects.toThrow('ClickHouse down');
    expect(h.sink.state().unappliedGroup && groupToken(h.sink.state().unappliedGroup!)).toBe(
      'g1000|events.changes:0:0-1',
    );
    // kafkajs fetches the failed batch again, with more behind it.
    await h.sink.flush([batch(CHANGES, 0, 0, 3)]);
    expect(h.applied.slice(1)).toEqual(['g1000|events.changes:0:0-1 0.1', 'g1001|events.changes:0:2-3 2.3']);
    expect(h.counters).toMatchObject({ groups: 1, reappliedGroups: 1 });
  });

  it('keeps the held-back records when recording the group fails, and records them later', async () => {
    const h = harness();
    h.ch.failNext('sink_offsets', 2);
    await expect(h.sink.flush([batch(CHANGES, 0, 0, 1), batch(CHANGES, 1, 5, 5)])).rejects.toThrow();
    expect(h.applied).toEqual([]);
    // Only the failed flush's own batch of partition 1 comes again (partition 0's was resolved earlier).
    await h.sink.flush([batch(CHANGES, 1, 5, 6)]);
    expect(h.applied).toEqual(['g1001|events.changes:0:0-1,events.changes:1:5-6 0.1 5.6']);
  });

  it('stops with the bad-record policy stop: nothing applied, the group stays unapplied', async () => {
    const h = harness();
    h.failApplyWith(() => ({ kind: 'dlq', reason: 'undecodable record at events.changes[0]@1: bad' }));
    await expect(h.sink.flush([batch(CHANGES, 0, 0, 1)])).rejects.toBeInstanceOf(ProjectorStoppedError);
    expect(h.sink.state().unappliedGroup).toBeDefined();
    expect(h.counters.groups).toBe(0);
  });
});
