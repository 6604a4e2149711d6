import { describe, expect, it } from 'vitest';
import type { IngestResult, SyncLatencyResult } from './ingest.ts';
import { type BenchResults, buildTable } from './report.ts';

const latency = (p50: number, p99: number) => ({ n: 200, p50, p99, max: p99, mean: p50 });

function ingest(over: Partial<IngestResult>): IngestResult {
  return {
    name: 'row',
    mode: 'async',
    batchSize: 1000,
    clients: 8,
    seconds: 20,
    system: 'pipeline',
    batchesAcked: 400,
    eventsAcked: 400_000,
    syncTimeouts: 0,
    errors: 0,
    sendSeconds: 10,
    visibleSeconds: 20,
    eventsVisible: 400_000,
    complete: true,
    ackedPerSec: 40_000,
    visiblePerSec: 20_000,
    dedupePerSec: 20_000,
    dedupeTransactions: 100,
    eventsPerTransaction: 4000,
    projectorRanges: 100,
    recordsPerRange: 4000,
    requestLatency: latency(10, 20),
    usage: {},
    cpuPerEvent: { totalUs: 75, byProcess: {} },
    ...over,
  };
}

function oneClient(p50: number, p99: number): SyncLatencyResult {
  return {
    system: 'pipeline',
    batchSize: 1000,
    batches: 200,
    syncTimeouts: 0,
    errors: 0,
    latency: latency(p50, p99),
    usage: {},
    cpuPerEvent: undefined,
  };
}

function table(pipeline: { ingest?: IngestResult[]; latency?: SyncLatencyResult }) {
  const r = {
    meta: {} as BenchResults['meta'],
    pipeline: { ingest: pipeline.ingest ?? [], ...(pipeline.latency ? { latency: pipeline.latency } : {}) },
    baseline: { ingest: [] },
    ratios: {},
    profiles: [],
  } as Omit<BenchResults, 'table'>;
  return buildTable(r).map(({ measurement, target, verdict }) => ({ measurement, target, verdict }));
}

describe('buildTable: the benchmark issue targets, and issue 10 on the same rows', () => {
  it('holds async 1000/batch against 50 000 ev/s, and issue 10 against 18 000 ev/s at <= 80 us/event', () => {
    const [met, slow, costly] = table({
      ingest: [
        ingest({}),
        ingest({ visiblePerSec: 17_999 }),
        ingest({ cpuPerEvent: { totalUs: 81, byProcess: {} } }),
      ],
    });
    expect(met).toMatchObject({
      target: '>= 50 000 ev/s; issue 10: >= 18 000 ev/s at <= 80 us/event',
      verdict: 'MISSED; issue 10 met',
    });
    expect(slow?.verdict).toBe('MISSED; issue 10 MISSED');
    expect(costly?.verdict).toBe('MISSED; issue 10 MISSED');
  });

  it('holds async 100/batch against 8 000 ev/s for issue 10, and an incomplete run never meets it', () => {
    const [met, incomplete] = table({
      ingest: [
        ingest({ batchSize: 100, visiblePerSec: 8_000, cpuPerEvent: undefined }),
        ingest({ batchSize: 100, visiblePerSec: 9_000, complete: false }),
      ],
    });
    expect(met).toMatchObject({
      target: '>= 50 000 ev/s; issue 10: >= 8 000 ev/s',
      verdict: 'MISSED; issue 10 met',
    });
    expect(incomplete?.verdict).toBe('MISSED; issue 10 MISSED');
  });

  it('sets no target on sync ingest rows', () => {
    const [row] = table({ ingest: [ingest({ mode: 'sync' })] });
    expect(row).toMatchObject({ target: '', verdict: '' });
  });

  it("holds the one-client answer against p50 <= 100 / p99 <= 300 ms, and issue 10's 80 / 200", () => {
    const verdictOf = (p50: number, p99: number) =>
      table({ latency: oneClient(p50, p99) }).find((r) => r.measurement.includes('1 client'));
    expect(verdictOf(80, 200)).toMatchObject({
      target: 'p50 <= 100 ms, p99 <= 300 ms; issue 10: p50 <= 80, p99 <= 200 ms',
      verdict: 'met; issue 10 met',
    });
    expect(verdictOf(95.2, 195.9)?.verdict).toBe('met; issue 10 MISSED');
    expect(verdictOf(75, 201)?.verdict).toBe('met; issue 10 MISSED');
    expect(verdictOf(101, 150)?.verdict).toBe('MISSED; issue 10 MISSED');
  });

  it("prints the run's machine speed probes as a row of their own, without a target", () => {
    const r = {
      meta: {
        machineSpeed: [
          { at: 'start', roundsPerSec: 41.2 },
          { at: 'end', roundsPerSec: 30.9 },
        ],
      } as BenchResults['meta'],
      pipeline: { ingest: [] },
      baseline: { ingest: [] },
      ratios: {},
      profiles: [],
    } as Omit<BenchResults, 'table'>;
    expect(buildTable(r)).toEqual([
      expect.objectContaining({
        section: 'machine',
        result: 'start 41.2, end 30.9 rounds/s; slowest / fastest 0.75',
        target: '',
        verdict: '',
      }),
    ]);
    expect(table({}).some((row) => row.measurement.startsWith('speed probe'))).toBe(false);
  });
});
