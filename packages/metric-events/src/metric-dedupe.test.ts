import { describe, expect, it } from 'vitest';
import { decideMetricBatch } from './metric-dedupe.ts';
import { METRIC_WIRE_VERSION, type MetricStateRecord, type RawMetricEventRecord } from './metric-wire.ts';

const raw = (id: string, requestId: string, simulateFailure = false): RawMetricEventRecord => ({
  v: METRIC_WIRE_VERSION,
  requestId,
  seq: 0,
  receivedAt: 1_000,
  id: id.repeat(64).slice(0, 64),
  clientId: 'c',
  source: null,
  metric: 'm',
  amount: 5,
  timestampMs: Date.UTC(2026, 0, 1),
  simulateFailure,
});
const none = () => undefined;

describe('decideMetricBatch', () => {
  it('processes a new identity once and answers later copies as duplicates of the first request', () => {
    const d = decideMetricBatch(none, [raw('a', 'r1'), raw('a', 'r2'), raw('b', 'r2')]);
    expect(d.decisions.map((x) => x.kind)).toEqual(['processed', 'duplicate', 'processed']);
    expect(d.decisions[1]!.record).toMatchObject({ duplicate: true, processedBy: 'r1', requestId: 'r2' });
    expect(d.stateWrites.map(([id, s]) => [id[0], s.requestId])).toEqual([
      ['a', 'r1'],
      ['b', 'r2'],
    ]);
  });

  it('answers an identity in the state as a duplicate and writes no state for it', () => {
    const state = new Map<string, MetricStateRecord>([
      [raw('a', 'x').id, { v: 1, requestId: 'r0', receivedAt: 1 }],
    ]);
    const d = decideMetricBatch((id) => state.get(id), [raw('a', 'r1')]);
    expect(d.decisions[0]).toMatchObject({ kind: 'duplicate', record: { processedBy: 'r0' } });
    expect(d.stateWrites).toEqual([]);
  });

  it('fails a simulated failure without state, so the same event without the flag is processed after it', () => {
    const d = decideMetricBatch(none, [raw('a', 'r1', true), raw('a', 'r2'), raw('a', 'r3', true)]);
    expect(d.decisions.map((x) => x.kind)).toEqual(['failed', 'processed', 'duplicate']);
    expect(d.decisions[0]!.record).toMatchObject({ reason: 'SIMULATED_FAILURE', requestId: 'r1' });
    expect(d.stateWrites).toHaveLength(1);
  });

  it('never writes simulateFailure into a processed record', () => {
    const d = decideMetricBatch(none, [raw('a', 'r1')]);
    expect(d.decisions[0]!.record).not.toHaveProperty('simulateFailure');
  });
});
