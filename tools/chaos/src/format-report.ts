// The human-readable summary of a fault-injection run.
import type { TableDiff } from './diff.ts';
import type { FaultInjectionReport } from './fault-injection.ts';

const pct = (part: number, whole: number) => `${whole === 0 ? 0 : ((100 * part) / whole).toFixed(1)}%`;
const total = (diffs: readonly TableDiff[]) => diffs.reduce((n, d) => n + d.differences, 0);

function diffLine(d: TableDiff): string {
  return (
    `  ${d.table.padEnd(58)} ${String(d.differences).padStart(6)}   (expected ${d.expectedKeys} keys, found ${d.actualKeys}; ` +
    `missing ${d.missing}, extra ${d.extra}, mismatched ${d.mismatched})` +
    d.samples.map((x) => `\n      ${x}`).join('')
  );
}

/** One line per stream: its differences in all (0 = every table and answer equals the truth). */
function streamLines(r: FaultInjectionReport): string[] {
  const lines = [
    `  events         ${String(total([...r.tables, ...r.api])).padStart(6)}   (${r.tables.length + r.api.length} tables and answers)`,
  ];
  const s = r.sensors;
  if (s)
    lines.push(
      `  sensors        ${String(total(s.diffs)).padStart(6)}   (${s.counts.readings} readings in ${s.counts.batches} batches: ` +
        `${s.counts.withoutId} without readingId, ${s.counts.duplicates} re-sent, ${s.counts.spikes} spikes, ${s.counts.invalid} invalid; ` +
        `${s.alerts} alerts expected, ${s.resolved} resolved; ${s.figures.syncAnswers} sync (${s.figures.syncTimeouts} more past the sync timeout) / ${s.figures.asyncAnswers} async answers; ` +
        `${s.posting.requests} requests, ${s.posting.retries} retries ${JSON.stringify(s.posting.failures)})`,
    );
  else lines.push('  sensors        not driven (--sensor-readings 0)');
  const m = r.metricEvents;
  if (m)
    lines.push(
      `  metric events  ${String(total(m.diffs)).padStart(6)}   (${m.counts.events} events in ${m.counts.requests} requests: ` +
        `${m.counts.duplicates} identical re-posts, ${m.counts.invalid} invalid, ${m.counts.simulated} simulated failures ` +
        `(${m.counts.retriedAfterFailure} re-posted without the flag); ${m.counted} counted, ${m.failures} failures listed; ` +
        `settled: ${m.settled ? 'yes' : 'NO'}; ${m.posting.requests} requests, ${m.posting.retries} retries ${JSON.stringify(m.posting.failures)})`,
    );
  else lines.push('  metric events  not driven (--metric-events 0)');
  return lines;
}

export function formatReport(r: FaultInjectionReport): string {
  const w = r.workload;
  const f = r.faults;
  const lines = [
    `fault injection, seed ${r.seed}: ${r.ok ? 'PASS (every table and answer equals the truth)' : 'FAIL'}`,
    `events sent: ${w.events} in ${w.batches} batches by ${w.clients} clients; ${w.distinctEventIds} distinct eventIds; ` +
      `${w.duplicates} exact duplicates (${pct(w.duplicates, w.events)}), ${w.corrections} corrections ` +
      `(${pct(w.corrections, w.events)}; ${w.moved} moved to another machine/line/hour)`,
    `requests: ${r.posting.requests}; retried: ${r.posting.retries} attempts over ${r.posting.batchesRetried} batches ` +
      `(${JSON.stringify(r.posting.failures)}); slowest acknowledgement ${(r.posting.maxAckMs / 1000).toFixed(1)} s`,
    `kills (SIGKILL + restart): ${JSON.stringify(f.kills)} = ${Object.values(f.kills).reduce((a, b) => a + b, 0)} of ${f.planned} planned; ` +
      `broker restarts: ${f.brokerRestarts}`,
    `slowest recovery (kill to ready) ms: ${JSON.stringify(f.maxRecoveryMs)}; failed starts: ${JSON.stringify(f.startFailures)}; ` +
      `unexpected exits: ${JSON.stringify(f.unexpectedExits)}`,
    r.quiescence
      ? `settled: ${r.quiescence.converged ? 'yes' : 'NO'} after ${(r.quiescence.ms / 1000).toFixed(1)} s (${r.quiescence.polls} polls)`
      : 'settled: not reached',
    'differences per stream (must all be 0):',
    ...streamLines(r),
    'differences per table / answer (must all be 0):',
    ...[...r.tables, ...r.api, ...(r.sensors?.diffs ?? []), ...(r.metricEvents?.diffs ?? [])].map(diffLine),
    `timings (s since start): ${JSON.stringify(r.timings)}`,
  ];
  if (r.findings.length > 0)
    lines.push('findings:', ...r.findings.map((x) => `  ${x.replace(/\n/g, '\n    ')}`));
  if (r.failures.length > 0) lines.push('failures:', ...r.failures.map((x) => `  ${x}`));
  lines.push(r.kept ? `work dir kept (data, logs/): ${r.workDir}` : 'work dir removed');
  return lines.join('\n');
}
