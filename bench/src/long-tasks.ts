import { readFileSync } from 'node:fs';
import { callTree, moduleOf, type ProfileNode } from './profile-stacks.ts';

/**
 * Busy stretches of a .cpuprofile's thread: runs of consecutive samples that are not `(idle)`.
 * While one runs, the event loop answers nothing else (a query waits for its end), so their
 * lengths are what a request's queueing delay is made of. A stretch can hold several macrotasks
 * back to back (a backlog): to a waiting request that is one wait.
 */
export type BusyStretch = {
  /** ms since the profile's start. */
  startMs: number;
  ms: number;
  /** The stretch's time by the outermost Shopfloor frame of each sample (which component did the work). */
  byComponent: Map<string, number>;
  /** The stretch's time by self function (`name module`). */
  bySelf: Map<string, number>;
};

type CpuProfile = { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number };

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);

/** Every busy stretch of the profile, in time order. Sample time is the delta before the sample. */
export function busyStretches(profile: Pick<CpuProfile, 'nodes' | 'samples' | 'timeDeltas'>): BusyStretch[] {
  const tree = callTree(profile.nodes);
  const labels = new Map<number, { component: string; self: string }>();
  const labelOf = (id: number) => {
    let l = labels.get(id);
    if (l) return l;
    let component = '(no Shopfloor frame)';
    for (const f of tree.stack(id)) {
      const m = moduleOf(f.url, f.functionName);
      if (m.startsWith('@shopfloor/')) component = `${m} ${f.functionName || '(anonymous)'}`;
    }
    const leaf = tree.frame(id);
    const self = leaf
      ? `${leaf.functionName || '(anonymous)'} ${moduleOf(leaf.url, leaf.functionName)}`
      : '?';
    l = { component, self };
    labels.set(id, l);
    return l;
  };
  const out: BusyStretch[] = [];
  let now = 0;
  let open: BusyStretch | undefined;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000;
    now += dt;
    if (tree.frame(id)?.functionName === '(idle)') {
      open = undefined;
      return;
    }
    if (!open) {
      open = { startMs: now - dt, ms: 0, byComponent: new Map(), bySelf: new Map() };
      out.push(open);
    }
    open.ms += dt;
    const { component, self } = labelOf(id);
    add(open.byComponent, component, dt);
    add(open.bySelf, self, dt);
  });
  return out;
}

/** How the busy time splits by stretch length: the share of busy time in stretches of at least each bound. */
export function stretchLengths(stretches: readonly BusyStretch[], bounds = [10, 25, 50, 100, 200]) {
  const busy = stretches.reduce((a, s) => a + s.ms, 0);
  return bounds.map((b) => {
    const long = stretches.filter((s) => s.ms >= b);
    return {
      atLeastMs: b,
      stretches: long.length,
      percentOfBusy: Math.round((1000 * long.reduce((a, s) => a + s.ms, 0)) / Math.max(busy, 1)) / 10,
    };
  });
}

function top(m: Map<string, number>, n: number, total: number) {
  return [...m]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${Math.round((100 * v) / Math.max(total, 1e-9))}% ${k}`);
}

// tsx bench/src/long-tasks.ts <file.cpuprofile> [minMs=50] [fromS] [toS]: the stretches of the
// thread's busy time at least minMs long (in the window of the profile given, in seconds), with
// what they were spent on, then the components and self functions of all of them together.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, minArg, fromArg, toArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: tsx bench/src/long-tasks.ts <file.cpuprofile> [minMs=50] [fromS] [toS]');
    process.exit(2);
  }
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const minMs = Number(minArg ?? 50);
  const from = Number(fromArg ?? 0) * 1000;
  const to = toArg === undefined ? Number.POSITIVE_INFINITY : Number(toArg) * 1000;
  const all = busyStretches(profile).filter((s) => s.startMs >= from && s.startMs < to);
  const span = (Math.min(to, all.at(-1)?.startMs ?? 0) - from) / 1000;
  const busy = all.reduce((a, s) => a + s.ms, 0);
  console.log(
    `${all.length} busy stretches over ${span.toFixed(1)} s, busy ${Math.round(busy)} ms (${Math.round(busy / Math.max(span * 10, 1e-9))}%)`,
  );
  for (const l of stretchLengths(all))
    console.log(`  >= ${l.atLeastMs} ms: ${l.stretches} stretches, ${l.percentOfBusy}% of busy time`);
  const long = all.filter((s) => s.ms >= minMs);
  const byComponent = new Map<string, number>();
  const bySelf = new Map<string, number>();
  let longMs = 0;
  for (const s of long) {
    longMs += s.ms;
    for (const [k, v] of s.byComponent) add(byComponent, k, v);
    for (const [k, v] of s.bySelf) add(bySelf, k, v);
  }
  console.log(
    `\nthe ${long.length} stretches of >= ${minMs} ms, ${Math.round(longMs)} ms together, by component:`,
  );
  for (const line of top(byComponent, 15, longMs)) console.log(`  ${line}`);
  console.log('by self function:');
  for (const line of top(bySelf, 20, longMs)) console.log(`  ${line}`);
  console.log('\nthe 10 longest:');
  for (const s of [...long].sort((a, b) => b.ms - a.ms).slice(0, 10))
    console.log(
      `  at ${(s.startMs / 1000).toFixed(2)} s: ${Math.round(s.ms)} ms: ${top(s.byComponent, 3, s.ms).join('; ')}`,
    );
}
