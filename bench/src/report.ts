import { cpuPerEventText } from './cpu-per-event.ts';
import { engineActivitySummary, engineActivityText } from './engine-activity.ts';
import type { FreshnessResult } from './freshness.ts';
import type { IngestResult, SyncLatencyResult } from './ingest.ts';
import { machineSpeedText, type SpeedProbe } from './machine-speed.ts';
import type { MemoryCgroupFigures } from './memory-cgroup.ts';
import { type MetricEventsResult, metricEventsRows } from './metric-events-section.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import type { ProfileSummary } from './profile-summary.ts';
import type { QueryResult } from './query-section.ts';
import { type ScalingResult, scalingText } from './scaling-section.ts';
import { type SensorsResult, sensorsRows } from './sensors-section.ts';
import { fmtInt, round } from './stats.ts';

export type TableRow = {
  section: string;
  measurement: string;
  result: string;
  target: string;
  verdict: string;
};

export type BenchResults = {
  meta: {
    date: string;
    commit: string;
    machine: { cores: number; cpuModel: string; memoryGiB: number; os: string };
    node: string;
    smoke: boolean;
    sections: string[];
    durationSeconds: number;
    notes: string[];
    options: Record<string, unknown>;
    /** The machine's speed while the system idled, at points of the run (machine-speed.ts). */
    machineSpeed?: SpeedProbe[];
  };
  pipeline: {
    ingest: IngestResult[];
    /** With --ingest-passes > 1: the rows of the passes before the last (warm-up, not the results). */
    ingestWarmUp?: IngestResult[][];
    latency?: SyncLatencyResult;
    freshness?: FreshnessResult;
    /** With --pipeline-memory-limit-mb: what the pipeline child's memory cgroup saw. */
    memoryCgroup?: MemoryCgroupFigures;
  };
  baseline: { ingest: IngestResult[]; latency?: SyncLatencyResult };
  query?: QueryResult;
  /** One entry per dedupe process count (separate service mains). */
  scaling?: ScalingResult[];
  /** The sensor-readings stream (webhook readings/s, alert latency) on the pipeline child. */
  sensors?: SensorsResult;
  /** The metric-events stream (1-event and 100-event posts) on the pipeline child. */
  metricEvents?: MetricEventsResult;
  /** pipeline / baseline, per matching scenario (visible events/s) and for sync latency p50. */
  ratios: Record<string, number>;
  profiles: ProfileSummary[];
  table: TableRow[];
  failed?: string;
};

/** The benchmark issue's targets (issue 5). */
export const TARGETS = {
  asyncEventsPerSec: 50_000,
  syncP50Ms: 100,
  syncP99Ms: 300,
  freshnessP99Ms: 1000,
};

/**
 * The performance issue's targets (issue 10), held against the same rows: CPU per visible event (all
 * processes summed) and rate at async 1000/batch, rate at async 100/batch, the one-client answer.
 */
export const ISSUE_10_TARGETS = {
  cpuUsPerEvent: 80,
  async1000EventsPerSec: 18_000,
  async100EventsPerSec: 8_000,
  syncP50Ms: 80,
  syncP99Ms: 200,
};

const verdict = (ok: boolean) => (ok ? 'met' : 'MISSED');

/** A row's own target and verdict, then issue 10's on the same figures ("met; issue 10 MISSED"). */
function withIssue10(
  own: { target: string; ok: boolean } | undefined,
  issue10: { target: string; ok: boolean } | undefined,
): Pick<TableRow, 'target' | 'verdict'> {
  const target = [own?.target, issue10 && `issue 10: ${issue10.target}`];
  const verdicts = [own && verdict(own.ok), issue10 && `issue 10 ${verdict(issue10.ok)}`];
  return {
    target: target.filter(Boolean).join('; '),
    verdict: verdicts.filter(Boolean).join('; '),
  };
}

/** Issue 10's target on an ingest row, if it sets one for that row. */
function issue10IngestTarget(i: IngestResult): { target: string; ok: boolean } | undefined {
  if (i.mode !== 'async') return undefined;
  const t = ISSUE_10_TARGETS;
  if (i.batchSize === 1000) {
    const cpu = i.cpuPerEvent?.totalUs;
    return {
      target: `>= ${fmtInt(t.async1000EventsPerSec)} ev/s at <= ${t.cpuUsPerEvent} us/event`,
      ok:
        i.complete &&
        i.visiblePerSec >= t.async1000EventsPerSec &&
        cpu !== undefined &&
        cpu <= t.cpuUsPerEvent,
    };
  }
  if (i.batchSize === 100)
    return {
      target: `>= ${fmtInt(t.async100EventsPerSec)} ev/s`,
      ok: i.complete && i.visiblePerSec >= t.async100EventsPerSec,
    };
  return undefined;
}

function usageText(usage: Record<string, ProcessUsage>): string {
  return Object.entries(usage)
    .map(
      ([name, u]) =>
        `${name} ${u.cpuPercentAvg}%/${u.cpuPercentMax}% ${u.rssMiBMax} MiB (anon ${u.anonMiBMax}, file ${u.fileMiBMax})`,
    )
    .join('; ');
}

export function buildTable(r: Omit<BenchResults, 'table'>): TableRow[] {
  const rows: TableRow[] = [];
  const scenarioName = (i: IngestResult) =>
    `${i.mode} ${i.batchSize}/batch x${i.clients} clients, ${i.seconds} s`;
  for (const i of r.pipeline.ingest) {
    const isAsync = i.mode === 'async';
    rows.push({
      section: 'ingest',
      measurement: `pipeline ${scenarioName(i)}`,
      result: `${fmtInt(i.visiblePerSec)} ev/s visible (acked ${fmtInt(i.ackedPerSec)}/s; ${fmtInt(i.eventsAcked)} events, drain ${round(i.visibleSeconds - i.sendSeconds, 1)} s${i.complete ? '' : ', INCOMPLETE'}${i.errors ? `, ${i.errors} errors` : ''}${i.syncTimeouts ? `, ${i.syncTimeouts} sync timeouts` : ''}); ${cpuPerEventText(i.cpuPerEvent)}`,
      ...withIssue10(
        isAsync
          ? {
              target: `>= ${fmtInt(TARGETS.asyncEventsPerSec)} ev/s`,
              ok: i.complete && i.visiblePerSec >= TARGETS.asyncEventsPerSec,
            }
          : undefined,
        issue10IngestTarget(i),
      ),
    });
  }
  if (r.pipeline.latency) {
    const l = r.pipeline.latency.latency;
    rows.push({
      section: 'latency',
      measurement: `pipeline sync 1000-event batch, 1 client, ${l.n} batches`,
      result: `p50 ${l.p50} ms, p99 ${l.p99} ms (max ${l.max} ms); ${engineActivityText(r.pipeline.latency.engine, 'events')}${cpuPerEventText(r.pipeline.latency.cpuPerEvent)}`,
      ...withIssue10(
        {
          target: `p50 <= ${TARGETS.syncP50Ms} ms, p99 <= ${TARGETS.syncP99Ms} ms`,
          ok: l.n > 0 && l.p50 <= TARGETS.syncP50Ms && l.p99 <= TARGETS.syncP99Ms,
        },
        {
          target: `p50 <= ${ISSUE_10_TARGETS.syncP50Ms}, p99 <= ${ISSUE_10_TARGETS.syncP99Ms} ms`,
          ok: l.n > 0 && l.p50 <= ISSUE_10_TARGETS.syncP50Ms && l.p99 <= ISSUE_10_TARGETS.syncP99Ms,
        },
      ),
    });
  }
  const f = r.pipeline.freshness;
  if (f) {
    rows.push({
      section: 'freshness',
      measurement: `async 202 -> counted by GET /stats, at ${fmtInt(f.achievedPerSec)} ev/s (target rate ${fmtInt(f.targetPerSec)}), ${f.allVisible.n} probes`,
      result: `whole batch p50 ${f.allVisible.p50} ms, p99 ${f.allVisible.p99} ms; first event p50 ${f.firstVisible.p50} ms, p99 ${f.firstVisible.p99} ms${f.probesTimedOut ? `; ${f.probesTimedOut} probes timed out` : ''}${f.skipped ? `; ${f.skipped} batches skipped (behind)` : ''}${f.errors ? `; ${f.errors} errors (${f.errorKinds})` : ''}`,
      target: `p99 <= ${TARGETS.freshnessP99Ms} ms`,
      verdict: verdict(
        f.allVisible.n > 0 && f.probesTimedOut === 0 && f.allVisible.p99 <= TARGETS.freshnessP99Ms,
      ),
    });
  }
  rows.push(...sensorsRows(r.sensors), ...metricEventsRows(r.metricEvents));
  for (const c of r.query?.cells ?? []) {
    rows.push({
      section: 'query',
      measurement: `GET /${c.endpoint === 'stats' ? 'stats' : 'stats/top-defect-lines'}, ${c.window} window, ${fmtInt(c.storedEvents)} events (bulk preload)`,
      result: `rollup p50 ${c.rollup.p50} / p99 ${c.rollup.p99} ms (n ${c.rollup.n}); FINAL p50 ${c.final.p50} / p99 ${c.final.p99} ms (n ${c.final.n}); FINAL/rollup ${c.ratioP50}x`,
      target: 'same answer',
      verdict:
        c.mismatches === 0 && c.compared > 0
          ? `met (${c.compared} compared)`
          : `MISSED (${c.mismatches}/${c.compared} differ)`,
    });
  }
  for (const i of r.baseline.ingest) {
    const key = `${i.mode}-${i.batchSize}`;
    const ratio = r.ratios[`ingest ${key}`];
    rows.push({
      section: 'baseline',
      measurement: `direct-write ${scenarioName(i)}`,
      result: `${fmtInt(i.visiblePerSec)} ev/s visible${ratio === undefined ? '' : `; pipeline/baseline ${ratio}x`}`,
      target: '',
      verdict: '',
    });
  }
  if (r.baseline.latency) {
    const l = r.baseline.latency.latency;
    const ratio = r.ratios['sync latency p50'];
    rows.push({
      section: 'baseline',
      measurement: `direct-write sync 1000-event batch, 1 client, ${l.n} batches`,
      result: `p50 ${l.p50} ms, p99 ${l.p99} ms${ratio === undefined ? '' : `; pipeline/baseline p50 ${ratio}x`}${r.baseline.latency.engine ? `; ${engineActivitySummary(r.baseline.latency.engine, 'events')}` : ''}`,
      target: '',
      verdict: '',
    });
  }
  for (const i of [...r.pipeline.ingest, ...r.baseline.ingest]) {
    rows.push({
      section: 'processes',
      measurement: `${i.system} ${i.mode}-${i.batchSize}: dedupe ev/s; CPU avg/max, RSS max (anon, file)`,
      result: `dedupe ${fmtInt(i.dedupePerSec)} ev/s${i.dedupeTransactions === undefined ? '' : ` (${i.eventsPerTransaction} ev/${i.system === 'pipeline' ? 'transaction' : 'insert'}${i.system === 'pipeline' ? `, ${i.recordsPerRange} records/projector range` : ''})`}; ${engineActivityText(i.engine, 'events')}${usageText(i.usage)}${i.memory ? `; ${i.system} memory at end: RSS ${i.memory.rss} = V8 heap ${i.memory.heapTotal} (used ${i.memory.heapUsed}${i.memory.heapLive === undefined ? '' : `, live after GC ${i.memory.heapLive}`}) + external ${i.memory.external} + native ${i.memory.native}${i.memory.lmdbMapped === undefined ? '' : ` (of which LMDB's mapped state ${i.memory.lmdbMapped})`} MiB${i.memory.engine ? ` (engine: MemoryTracking ${i.memory.engine.tracked}, merges ${i.memory.engine.merges}, caches ${i.memory.engine.caches}, jemalloc resident ${i.memory.engine.allocatorResident}; active parts ${i.memory.engine.activeParts}, at most ${i.memory.engine.maxTableParts} in one table)` : ''}` : ''}`,
      target: '',
      verdict: '',
    });
  }
  if (f) {
    rows.push({
      section: 'processes',
      measurement: 'pipeline freshness run: CPU avg/max, RSS max (anon, file)',
      result: usageText(f.usage),
      target: '',
      verdict: '',
    });
  }
  const cg = r.pipeline.memoryCgroup;
  if (cg) {
    rows.push({
      section: 'processes',
      measurement: 'pipeline memory cgroup (--pipeline-memory-limit-mb), page cache included',
      result: `limit ${cg.limitMiB} MiB, peak charge ${cg.peakMiB} MiB, limit hit ${fmtInt(cg.limitHits)} times (the kernel reclaimed pages)`,
      target: '',
      verdict: '',
    });
  }
  for (const s of r.scaling ?? []) {
    rows.push({
      section: 'scaling',
      measurement: `${s.dedupeProcesses} dedupe process(es) + gateway + projector, ${s.partitions} partitions, async 1000/batch x${s.ingest.clients}, ${s.ingest.seconds} s`,
      result: scalingText(s),
      target: '',
      verdict: '',
    });
  }
  const speed = r.meta.machineSpeed ?? [];
  if (speed.length > 0) {
    rows.push({
      section: 'machine',
      measurement:
        'speed probe: a fixed CPU and memory workload on one core while the system idles (compare runs by it)',
      result: machineSpeedText(speed),
      target: '',
      verdict: '',
    });
  }
  return rows;
}

export function renderTable(rows: readonly TableRow[]): string {
  const headers: TableRow = {
    section: 'Section',
    measurement: 'Measurement',
    result: 'Result',
    target: 'Target',
    verdict: 'Verdict',
  };
  const keys = Object.keys(headers) as (keyof TableRow)[];
  const all = [headers, ...rows];
  const width = Object.fromEntries(keys.map((k) => [k, Math.max(...all.map((r) => r[k].length))])) as Record<
    keyof TableRow,
    number
  >;
  const line = (r: TableRow) => `| ${keys.map((k) => r[k].padEnd(width[k])).join(' | ')} |`;
  const sep = `|${keys.map((k) => '-'.repeat(width[k] + 2)).join('|')}|`;
  return [line(headers), sep, ...rows.map(line)].join('\n');
}

export function computeRatios(r: Pick<BenchResults, 'pipeline' | 'baseline'>): Record<string, number> {
  const ratios: Record<string, number> = {};
  for (const b of r.baseline.ingest) {
    const p = r.pipeline.ingest.find((x) => x.mode === b.mode && x.batchSize === b.batchSize);
    if (p && b.visiblePerSec > 0)
      ratios[`ingest ${b.mode}-${b.batchSize}`] = round(p.visiblePerSec / b.visiblePerSec, 2);
  }
  const pl = r.pipeline.latency?.latency.p50;
  const bl = r.baseline.latency?.latency.p50;
  if (pl && bl) ratios['sync latency p50'] = round(pl / bl, 2);
  return ratios;
}
