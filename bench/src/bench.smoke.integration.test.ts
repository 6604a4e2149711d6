import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type {} from '@shopfloor/test-support';
import { afterAll, expect, inject, test } from 'vitest';
import { parseBenchOptions } from './options.ts';
import type { BenchResults } from './report.ts';
import { runBench } from './run-bench.ts';

const outDir = mkdtempSync(path.join(tmpdir(), 'shopfloor-bench-smoke-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

// Checks that the harness runs end to end and produces well-formed output. It asserts nothing about
// speed: the figures depend on the machine and on whatever else runs on it.
test('the bench harness runs every section in smoke mode and writes a well-formed table and JSON', async () => {
  const options = parseBenchOptions(
    [
      '--smoke',
      `--brokers=${inject('kafkaBrokers').join(',')}`,
      `--schema-registry=${inject('schemaRegistryUrl')}`,
      '--ingest-seconds=2',
      '--baseline-seconds=2',
      '--latency-batches=5',
      '--freshness-seconds=3',
      '--freshness-rate=2000',
      '--query-sizes=5000,10000',
      '--query-samples=5',
      '--sensor-seconds=2',
      '--alert-seconds=3',
      '--metric-seconds=2',
      '--clients=2',
      '--partitions=2',
      `--out=${outDir}`,
    ],
    outDir,
  );
  const lines: string[] = [];
  const run = await runBench(options, { progress: (line) => lines.push(line) });

  expect(lines.length).toBeGreaterThan(0);
  const json = JSON.parse(readFileSync(run.file, 'utf8')) as BenchResults;
  expect(path.dirname(run.file)).toBe(outDir);
  expect(json.failed).toBeUndefined();
  expect(json.meta).toMatchObject({
    smoke: true,
    sections: ['ingest', 'latency', 'freshness', 'query', 'baseline', 'sensors', 'metric-events'],
  });
  expect(json.meta.machine.cores).toBeGreaterThan(0);

  expect(json.pipeline.ingest.map((i) => `${i.mode}-${i.batchSize}`)).toEqual([
    'async-1000',
    'async-100',
    'sync-1000',
    'sync-100',
  ]);
  for (const i of [...json.pipeline.ingest, ...json.baseline.ingest]) {
    expect(i.eventsAcked).toBeGreaterThan(0);
    expect(i.complete).toBe(true);
    expect(i.visiblePerSec).toBeGreaterThan(0);
    expect(Object.keys(i.usage)).toContain(i.system);
    // Issue 10's figure: CPU of every sampled process per visible event, the system's share in it.
    expect(i.cpuPerEvent?.totalUs).toBeGreaterThan(0);
    expect(i.cpuPerEvent?.byProcess[i.system]).toBeGreaterThan(0);
    expect(i.cpuPerEvent?.netOfIdleUs).toBeLessThanOrEqual(i.cpuPerEvent?.totalUs ?? 0);
    // The system's figure split by thread: the JS thread always works; the engine holds ClickHouse's.
    const threads = i.cpuPerEvent?.byThread?.[i.system];
    expect(threads?.main).toBeGreaterThan(0);
    expect(threads?.engine).toBeGreaterThan(0);
    expect(i.memory?.rss).toBeGreaterThan(0);
    // The engine's parts not yet merged at the row's end (what niced merge threads leave behind).
    if (i.system === 'pipeline') expect(i.memory?.engine?.activeParts).toBeGreaterThan(0);
  }
  expect(json.pipeline.latency?.cpuPerEvent?.totalUs).toBeGreaterThan(0);
  expect(json.pipeline.latency?.latency.n).toBeGreaterThan(0);
  expect(json.baseline.latency?.latency.n).toBeGreaterThan(0);
  expect(json.pipeline.freshness?.allVisible.n).toBeGreaterThan(0);
  expect(json.query?.cells).toHaveLength(8);
  for (const c of json.query?.cells ?? []) {
    expect(c.mismatches).toBe(0);
    expect(c.rollup.n).toBeGreaterThan(0);
    expect(c.final.n).toBeGreaterThan(0);
  }
  expect(Object.keys(json.ratios)).toContain('ingest async-1000');
  // The sensor stream: every webhook row counted what it acknowledged; spikes raised alerts.
  expect(json.sensors?.ingest.map((i) => `${i.mode}-${i.batchSize}`)).toEqual([
    'async-500',
    'async-100',
    'sync-500',
    'sync-100',
  ]);
  for (const i of json.sensors?.ingest ?? []) {
    expect(i.readingsAcked).toBeGreaterThan(0);
    expect(i.complete).toBe(true);
    expect(i.cpuPerReading?.byProcess.pipeline).toBeGreaterThan(0);
  }
  expect(json.sensors?.alertLatency?.latency.n).toBeGreaterThan(0);
  // The poller asks only for alerts since the oldest unfound spike: every spike's alert still found.
  expect(json.sensors?.alertLatency?.latency.n).toBe(json.sensors?.alertLatency?.spikes);
  expect(json.sensors?.alertLatency?.polls.n).toBeGreaterThan(0);
  // The server's own view of the polls and of its event loop, from its /metrics around the run.
  expect(json.sensors?.alertLatency?.polls.serverMeanMs).toBeGreaterThan(0);
  expect(json.sensors?.alertLatency?.eventLoopLag?.maxMs).toBeGreaterThan(0);
  expect(json.sensors?.alertLatency?.wrongSeverity).toBe(0);
  expect(json.metricEvents?.scenarios.map((m) => [m.path, m.events > 0])).toEqual([
    ['/events', true],
    ['/events/batch-metrics', true],
  ]);

  // The machine's speed while the system idled: at the start, before each system's rows, before
  // the sensors and at the end.
  expect(json.meta.machineSpeed?.map((p) => p.at)).toEqual([
    'start',
    'pipeline idle',
    'before sensors',
    'baseline idle',
    'end',
  ]);
  for (const p of json.meta.machineSpeed ?? []) expect(p.roundsPerSec).toBeGreaterThan(0);
  const sections = new Set(json.table.map((r) => r.section));
  expect([...sections].sort()).toEqual([
    'baseline',
    'freshness',
    'ingest',
    'latency',
    'machine',
    'metric-events',
    'processes',
    'query',
    'sensors',
  ]);
  const header = run.tableText.split('\n')[0]!;
  expect(header).toMatch(/^\| Section +\| Measurement +\| Result +\| Target +\| Verdict +\|$/);
  expect(run.tableText.split('\n')).toHaveLength(json.table.length + 2);
}, 600_000);
