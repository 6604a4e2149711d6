import { readFileSync } from 'node:fs';
import type { IngestResult } from './ingest.ts';
import type { BenchResults } from './report.ts';

// `tsx bench/src/compare-runs.ts A1.json,A2.json B1.json,B2.json`: an A/B table of bench results
// files (bench/results/*.json) run back to back: per scenario the mean of each side's visible ev/s,
// CPU us/event (all processes) and its net-of-idle figure, and the ratio B/A. For levers measured
// on a shared machine, where only ratios of interleaved runs mean anything.

type Side = { label: string; runs: BenchResults[] };

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
const fmt = (x: number, digits = 0) => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function scenarioFigures(side: Side, name: string) {
  const rows = side.runs
    .map((r) => r.pipeline.ingest.find((i) => `${i.mode}-${i.batchSize}` === name))
    .filter((i): i is IngestResult => i !== undefined);
  return {
    evs: mean(rows.map((i) => i.visiblePerSec)),
    cpu: mean(rows.map((i) => i.cpuPerEvent?.totalUs ?? Number.NaN)),
    net: mean(rows.map((i) => i.cpuPerEvent?.netOfIdleUs ?? Number.NaN)),
    each: rows.map((i) => `${i.cpuPerEvent?.totalUs ?? '?'}`).join('/'),
  };
}

export function compareRuns(a: Side, b: Side): string {
  const names = ['async-1000', 'async-100', 'sync-1000', 'sync-100'];
  const lines = [
    `| scenario | ${a.label} ev/s | ${b.label} ev/s | ratio | ${a.label} us/event (runs) | ${b.label} us/event (runs) | ratio | net of idle ${a.label} / ${b.label} |`,
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const name of names) {
    const x = scenarioFigures(a, name);
    const y = scenarioFigures(b, name);
    lines.push(
      `| ${name} | ${fmt(x.evs)} | ${fmt(y.evs)} | ${fmt(y.evs / x.evs, 2)} | ${fmt(x.cpu)} (${x.each}) | ${fmt(y.cpu)} (${y.each}) | ${fmt(y.cpu / x.cpu, 2)} | ${fmt(x.net)} / ${fmt(y.net)} |`,
    );
  }
  const lat = (s: Side, k: 'p50' | 'p99') =>
    mean(s.runs.map((r) => r.pipeline.latency?.latency[k] ?? Number.NaN));
  lines.push(
    `| sync latency p50 / p99 ms | ${fmt(lat(a, 'p50'))} / ${fmt(lat(a, 'p99'))} | ${fmt(lat(b, 'p50'))} / ${fmt(lat(b, 'p99'))} | ${fmt(lat(b, 'p50') / lat(a, 'p50'), 2)} | | | | |`,
  );
  return lines.join('\n');
}

if (process.argv[1]?.endsWith('compare-runs.ts')) {
  const [aFiles, bFiles, aLabel = 'A', bLabel = 'B'] = process.argv.slice(2);
  if (!aFiles || !bFiles)
    throw new Error('usage: compare-runs.ts A1.json,A2.json B1.json,B2.json [A label] [B label]');
  const load = (files: string) =>
    files.split(',').map((f) => JSON.parse(readFileSync(f, 'utf8')) as BenchResults);
  console.log(compareRuns({ label: aLabel, runs: load(aFiles) }, { label: bLabel, runs: load(bFiles) }));
}
