import { readFileSync } from 'node:fs';
import type { CpuPerEvent } from './cpu-per-event.ts';
import type { IngestResult } from './ingest.ts';
import { THREAD_CLASSES } from './proc-sampler.ts';
import type { BenchResults } from './report.ts';
import type { AlertLatencyResult } from './sensor-alert-latency.ts';
import type { SensorIngestResult } from './sensor-ingest.ts';
import { mean } from './stats.ts';

// `tsx bench/src/compare-runs.ts A1.json,A2.json B1.json,B2.json`: an A/B table of bench results
// files (bench/results/*.json) run back to back: per scenario the mean of each side's visible ev/s,
// CPU us/event (all processes) and its net-of-idle figure, and the ratio B/A; then the same for the
// sensor webhook rows and the alert latency, when the runs have a sensors section. For levers
// measured on a shared machine, where only ratios of interleaved runs mean anything.

type Side = { label: string; runs: BenchResults[] };

const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

/** One scenario's row of a side's runs: its rate and its CPU per item (event or reading). */
type ScenarioRow = { perSec: number; cpu: CpuPerEvent | undefined };

function figures(rows: ScenarioRow[]) {
  return {
    perSec: mean(rows.map((i) => i.perSec)),
    cpu: mean(rows.map((i) => i.cpu?.totalUs ?? Number.NaN)),
    net: mean(rows.map((i) => i.cpu?.netOfIdleUs ?? Number.NaN)),
    each: rows.map((i) => `${i.cpu?.totalUs ?? '?'}`).join('/'),
  };
}

/** A scenario's line: each side's mean rate and CPU (with every run's), and the B/A ratios. */
function scenarioLine(label: string, x: ReturnType<typeof figures>, y: ReturnType<typeof figures>): string {
  return `| ${label} | ${fmt(x.perSec)} | ${fmt(y.perSec)} | ${fmt(y.perSec / x.perSec, 2)} | ${fmt(x.cpu)} (${x.each}) | ${fmt(y.cpu)} (${y.each}) | ${fmt(y.cpu / x.cpu, 2)} | ${fmt(x.net)} / ${fmt(y.net)} |`;
}

const byScenario = (name: string) => (i: { mode: string; batchSize: number }) =>
  `${i.mode}-${i.batchSize}` === name;

function scenarioFigures(side: Side, name: string) {
  return figures(
    side.runs
      .map((r) => r.pipeline.ingest.find(byScenario(name)))
      .filter((i): i is IngestResult => i !== undefined)
      .map((i) => ({ perSec: i.visiblePerSec, cpu: i.cpuPerEvent })),
  );
}

export function compareRuns(a: Side, b: Side): string {
  const names = ['async-1000', 'async-100', 'sync-1000', 'sync-100'];
  const lines = [
    `| scenario | ${a.label} ev/s | ${b.label} ev/s | ratio | ${a.label} us/event (runs) | ${b.label} us/event (runs) | ratio | net of idle ${a.label} / ${b.label} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    lines.push(scenarioLine(name, scenarioFigures(a, name), scenarioFigures(b, name)));
  }
  const lat = (s: Side, k: 'p50' | 'p99') =>
    mean(s.runs.map((r) => r.pipeline.latency?.latency[k] ?? Number.NaN));
  lines.push(
    `| sync latency p50 / p99 ms | ${fmt(lat(a, 'p50'))} / ${fmt(lat(a, 'p99'))} | ${fmt(lat(b, 'p50'))} / ${fmt(lat(b, 'p99'))} | ${fmt(lat(b, 'p50') / lat(a, 'p50'), 2)} | | | | |`,
  );
  lines.push(...threadLines(a, b, names));
  if (a.runs.some((r) => r.sensors) || b.runs.some((r) => r.sensors)) lines.push(...sensorLines(a, b));
  return lines.join('\n');
}

/** A side's mean pipeline us/event per thread class in a scenario (NaN where its runs have no split). */
function threadFigures(side: Side, name: string): number[] {
  const rows = side.runs
    .map((r) => r.pipeline.ingest.find(byScenario(name))?.cpuPerEvent?.byThread?.pipeline)
    .filter((t): t is Record<string, number> => t !== undefined);
  return THREAD_CLASSES.map((c) => mean(rows.map((t) => t[c] ?? Number.NaN)));
}

/** The pipeline process's CPU per event by thread class (runs since the bench reads threads): where a ratio comes from. */
function threadLines(a: Side, b: Side, names: string[]): string[] {
  const any = (s: Side) => s.runs.some((r) => r.pipeline.ingest.some((i) => i.cpuPerEvent?.byThread));
  if (!any(a) && !any(b)) return [];
  const lines = [
    '',
    `| scenario | pipeline us/event by thread (${THREAD_CLASSES.join(' / ')}): ${a.label} | ${b.label} | ratio B/A per class |`,
    '| --- | --- | --- | --- |',
  ];
  for (const name of names) {
    const [x, y] = [threadFigures(a, name), threadFigures(b, name)];
    lines.push(
      `| ${name} | ${x.map((v) => fmt(v)).join(' / ')} | ${y.map((v) => fmt(v)).join(' / ')} | ${x.map((v, i) => fmt((y[i] ?? Number.NaN) / v, 2)).join(' / ')} |`,
    );
  }
  return lines;
}

function sensorFigures(side: Side, name: string) {
  return figures(
    side.runs
      .map((r) => r.sensors?.ingest.find(byScenario(name)))
      .filter((i): i is SensorIngestResult => i !== undefined)
      .map((i) => ({ perSec: i.visiblePerSec, cpu: i.cpuPerReading })),
  );
}

/** The sensors section's rows: readings/s and CPU per reading per webhook scenario, then the alert latency. */
function sensorLines(a: Side, b: Side): string[] {
  const lines: string[] = [];
  for (const name of ['async-500', 'async-100', 'sync-500', 'sync-100']) {
    lines.push(scenarioLine(`sensors ${name} (readings)`, sensorFigures(a, name), sensorFigures(b, name)));
  }
  const alert = (s: Side) => s.runs.map((r) => r.sensors?.alertLatency).filter((x) => x !== undefined);
  const [xa, ya] = [alert(a), alert(b)];
  const p = (runs: AlertLatencyResult[], k: 'p50' | 'p99') => mean(runs.map((r) => r.latency[k]));
  const each = (runs: AlertLatencyResult[]) => runs.map((r) => `${r.latency.p99}`).join('/');
  const rate = (runs: AlertLatencyResult[]) => mean(runs.map((r) => r.achievedPerSec));
  const cpu = (runs: AlertLatencyResult[]) => mean(runs.map((r) => r.cpuPerReading?.totalUs ?? Number.NaN));
  lines.push(
    `| sensors alert latency p50 / p99 ms (p99 of each run), at readings/s | ${fmt(p(xa, 'p50'))} / ${fmt(p(xa, 'p99'))} (${each(xa)}) at ${fmt(rate(xa))} | ${fmt(p(ya, 'p50'))} / ${fmt(p(ya, 'p99'))} (${each(ya)}) at ${fmt(rate(ya))} | ${fmt(p(ya, 'p99') / p(xa, 'p99'), 2)} | ${fmt(cpu(xa))} | ${fmt(cpu(ya))} | ${fmt(cpu(ya) / cpu(xa), 2)} | |`,
  );
  return lines;
}

if (process.argv[1]?.endsWith('compare-runs.ts')) {
  const [aFiles, bFiles, aLabel = 'A', bLabel = 'B'] = process.argv.slice(2);
  if (!aFiles || !bFiles)
    throw new Error('usage: compare-runs.ts A1.json,A2.json B1.json,B2.json [A label] [B label]');
  const load = (files: string) =>
    files.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchResults);
  console.log(compareRuns({ label: aLabel, runs: load(aFiles) }, { label: bLabel, runs: load(bFiles) }));
}
