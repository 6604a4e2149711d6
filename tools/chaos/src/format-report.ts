// The human-readable summary of a fault-injection run.
import type { FaultInjectionReport } from './fault-injection.ts';

const pct = (part: number, whole: number) => `${whole === 0 ? 0 : ((100 * part) / whole).toFixed(1)}%`;

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
    'differences per table / answer (must all be 0):',
    ...[...r.tables, ...r.api].map(
      (d) =>
        `  ${d.table.padEnd(54)} ${String(d.differences).padStart(6)}   (expected ${d.expectedKeys} keys, found ${d.actualKeys}; ` +
        `missing ${d.missing}, extra ${d.extra}, mismatched ${d.mismatched})` +
        d.samples.map((s) => `\n      ${s}`).join(''),
    ),
    `timings (s since start): ${JSON.stringify(r.timings)}`,
  ];
  if (r.findings.length > 0)
    lines.push('findings:', ...r.findings.map((x) => `  ${x.replace(/\n/g, '\n    ')}`));
  if (r.failures.length > 0) lines.push('failures:', ...r.failures.map((x) => `  ${x}`));
  lines.push(r.kept ? `work dir kept (data, logs/): ${r.workDir}` : 'work dir removed');
  return lines.join('\n');
}
