import { describe, expect, it } from 'vitest';
import { compareRuns } from './compare-runs.ts';
import type { BenchResults } from './report.ts';

// Only the fields compare-runs reads; a results file has many more.
const run = (sensors?: { perSec: number; cpu: number; p50: number; p99: number; rate: number }) =>
  ({
    pipeline: {
      ingest: [{ mode: 'async', batchSize: 1000, visiblePerSec: 12_000, cpuPerEvent: { totalUs: 130 } }],
    },
    ...(sensors
      ? {
          sensors: {
            ingest: [
              {
                mode: 'async',
                batchSize: 500,
                visiblePerSec: sensors.perSec,
                cpuPerReading: { totalUs: sensors.cpu, netOfIdleUs: sensors.cpu - 40 },
              },
            ],
            maxSustainedPerSec: sensors.perSec,
            alertLatency: {
              achievedPerSec: sensors.rate,
              latency: { p50: sensors.p50, p99: sensors.p99 },
              cpuPerReading: { totalUs: 290 },
            },
          },
        }
      : {}),
  }) as unknown as BenchResults;

describe('compareRuns', () => {
  it('adds the sensor rows, means of each side and B/A ratios, when the runs have them', () => {
    const table = compareRuns(
      {
        label: 'A',
        runs: [
          run({ perSec: 10_000, cpu: 140, p50: 150, p99: 600, rate: 6000 }),
          run({ perSec: 12_000, cpu: 160, p50: 170, p99: 800, rate: 6000 }),
        ],
      },
      { label: 'B', runs: [run({ perSec: 11_000, cpu: 120, p50: 140, p99: 420, rate: 6000 })] },
    );
    const row = (prefix: string) => table.split('\n').find((l) => l.startsWith(prefix));
    expect(row('| sensors async-500 (readings) |')).toBe(
      '| sensors async-500 (readings) | 11000 | 11000 | 1.00 | 150 (140/160) | 120 (120) | 0.80 | 110 / 80 |',
    );
    expect(row('| sensors alert latency')).toBe(
      '| sensors alert latency p50 / p99 ms (p99 of each run), at readings/s | 160 / 700 (600/800) at 6000 | 140 / 420 (420) at 6000 | 0.60 | 290 | 290 | 1.00 | |',
    );
    // A scenario no run has reads n/a rather than 0.
    expect(row('| sensors sync-100 (readings) |')).toContain('| n/a | n/a |');
  });

  it('has no sensor rows when no run has a sensors section', () => {
    const table = compareRuns({ label: 'A', runs: [run()] }, { label: 'B', runs: [run()] });
    expect(table).toContain('| async-1000 | 12000 | 12000 | 1.00 |');
    expect(table).not.toContain('sensors');
  });

  it('splits the pipeline’s us/event by thread class where the runs have it', () => {
    const split = (main: number, node: number, engine: number) =>
      ({
        pipeline: {
          ingest: [
            {
              mode: 'async',
              batchSize: 1000,
              visiblePerSec: 15_000,
              cpuPerEvent: { totalUs: 100, byThread: { pipeline: { main, node, engine } } },
            },
          ],
        },
      }) as unknown as BenchResults;
    const table = compareRuns(
      { label: 'A', runs: [split(40, 20, 10), split(44, 24, 10)] },
      { label: 'B', runs: [split(42, 11, 10)] },
    );
    expect(table).toContain('| async-1000 | 42 / 22 / 10 | 42 / 11 / 10 | 1.00 / 0.50 / 1.00 |');
    expect(table).toContain('| sync-100 | n/a / n/a / n/a |');
    // Runs from before the split have no such table.
    expect(compareRuns({ label: 'A', runs: [run()] }, { label: 'B', runs: [run()] })).not.toContain(
      'by thread',
    );
  });
});
