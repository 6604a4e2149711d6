// `tsx bench/src/step-timings.ts <pipeline.log>`: where the time of each posted batch goes, from the
// pipeline child's debug log of a sync latency run (one client, so posted batches never overlap):
//   BENCH_CHILD_LOG_LEVEL=debug pnpm bench --smoke --sections=latency --latency-batches=100
// The log lines used: `dedupe batch committed` (processMs, transactionMs; one per partition) and
// `group applied` (applyMs: inserts + outcomes + offset commit, after the sink_offsets marker).
import { readFileSync } from 'node:fs';
import { mean } from './stats.ts';

type Step = { kind: 'dedupe' | 'group'; start: number; end: number; line: Record<string, number> };

const file = process.argv[2];
if (!file) {
  console.error(
    'usage: tsx bench/src/step-timings.ts <pipeline.log> [events per posted batch, default 1000]',
  );
  process.exit(2);
}
const batchSize = Number(process.argv[3] ?? 1000);
const steps: Step[] = [];
for (const text of readFileSync(file, 'utf8').split('\n')) {
  if (!text.startsWith('{')) continue;
  const l = JSON.parse(text) as Record<string, number> & { msg?: string };
  if (l.msg === 'dedupe batch committed') {
    steps.push({ kind: 'dedupe', start: l.time! - l.processMs! - l.transactionMs!, end: l.time!, line: l });
  } else if (l.msg === 'group applied') {
    steps.push({ kind: 'group', start: l.time! - l.applyMs!, end: l.time!, line: l });
  }
}
steps.sort((a, b) => a.start - b.start);

// Posted batches are sequential (one client): the dedupe steps, in order, add up to one batch each;
// a group belongs to the last batch whose dedupe began before the group did.
const posts: Step[][] = [];
let records = 0;
for (const s of steps.filter((x) => x.kind === 'dedupe')) {
  if (posts.length === 0 || records >= batchSize) {
    posts.push([]);
    records = 0;
  }
  posts.at(-1)!.push(s);
  records += s.line.records!;
}
for (const g of steps.filter((x) => x.kind === 'group')) {
  const owner = posts.findLast((p) => p[0]!.start <= g.start);
  owner?.push(g);
}

const rows = posts.flatMap((p) => {
  const d = p.filter((s) => s.kind === 'dedupe');
  const g = p.filter((s) => s.kind === 'group');
  const records = d.reduce((n, s) => n + s.line.records!, 0);
  if (g.length === 0 || records !== batchSize) return []; // warm-up and partial clusters
  const min = (xs: number[]) => Math.min(...xs);
  const max = (xs: number[]) => Math.max(...xs);
  return [
    {
      'dedupe partitions': d.length,
      'process ms (mean)': d.reduce((n, s) => n + s.line.processMs!, 0) / d.length,
      'slowest transaction ms': max(d.map((s) => s.line.transactionMs!)),
      'dedupe span ms': max(d.map((s) => s.end)) - min(d.map((s) => s.start)),
      'last commit -> first group ms': min(g.map((s) => s.start)) - max(d.map((s) => s.end)),
      groups: g.length,
      'group apply ms (sum)': g.reduce((n, s) => n + s.line.applyMs!, 0),
      'first dedupe start -> last group end ms': max(p.map((s) => s.end)) - min(p.map((s) => s.start)),
    },
  ];
});
if (rows.length === 0) {
  console.error('no complete posted batch found (was the run at LOG_LEVEL debug, with sync latency?)');
  process.exit(1);
}
const q = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor(p * (xs.length - 1))]!;
console.log(`${rows.length} posted batches of ${batchSize} events`);
for (const key of Object.keys(rows[0]!) as (keyof (typeof rows)[number])[]) {
  const xs = rows.map((r) => r[key]);
  console.log(
    `  ${key.padEnd(42)} p50 ${q(xs, 0.5).toFixed(1).padStart(7)}  p90 ${q(xs, 0.9).toFixed(1).padStart(7)}  mean ${mean(xs).toFixed(1).padStart(7)}`,
  );
}
const groups = steps.filter((s) => s.kind === 'group').map((s) => s.line.applyMs!);
console.log(`  one group's apply ms: p50 ${q(groups, 0.5).toFixed(1)} over ${groups.length} groups`);
for (const n of [1, 2, 3]) {
  const spans = rows.filter((r) => r.groups === n).map((r) => r['first dedupe start -> last group end ms']);
  if (spans.length > 0) {
    console.log(
      `  inserted in ${n} group(s): ${spans.length} batches, first dedupe start -> last group end p50 ${q(spans, 0.5).toFixed(1)} ms`,
    );
  }
}
