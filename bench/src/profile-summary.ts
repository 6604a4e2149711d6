import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { moduleOf, type ProfileNode, type StackShare, stackShares } from './profile-stacks.ts';

type CpuProfile = {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
};

export type ProfileSummary = {
  file: string;
  totalMs: number;
  topFunctions: { name: string; where: string; selfMs: number; percent: number }[];
  topModules: { module: string; selfMs: number; percent: number }[];
  /** Busy (non-idle) time, and the shares of it by module in the stack and by outermost Shopfloor frame. */
  busyMs: number;
  stacksContaining: StackShare[];
  outermostShopfloorFrame: StackShare[];
  innermostPackage: StackShare[];
};

/** Self time per function and per module of one .cpuprofile (V8's --cpu-prof output). */
export function summarizeProfile(file: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    const dt = profile.timeDeltas[i] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + dt);
    totalUs += dt;
  });
  const fn = new Map<string, { name: string; where: string; us: number }>();
  const mod = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    const { functionName, url, lineNumber } = n.callFrame;
    const name = functionName || '(anonymous)';
    const where = url
      ? `${url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, 'node_modules/')}:${lineNumber + 1}`
      : '';
    const key = `${name}@${where}`;
    const e = fn.get(key) ?? { name, where, us: 0 };
    e.us += us;
    fn.set(key, e);
    const m = moduleOf(url, name);
    mod.set(m, (mod.get(m) ?? 0) + us);
  }
  const stacks = stackShares(profile.nodes, profile.samples, profile.timeDeltas);
  const pct = (us: number) => Math.round((1000 * us) / Math.max(totalUs, 1)) / 10;
  return {
    file: path.basename(file),
    totalMs: Math.round(totalUs / 1000),
    topFunctions: [...fn.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => ({ name: e.name, where: e.where, selfMs: Math.round(e.us / 1000), percent: pct(e.us) })),
    topModules: [...mod]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([module, us]) => ({ module, selfMs: Math.round(us / 1000), percent: pct(us) })),
    busyMs: stacks.busyMs,
    stacksContaining: stacks.containing.slice(0, top),
    outermostShopfloorFrame: stacks.outermost.slice(0, top),
    innermostPackage: stacks.innermostPackage.slice(0, top),
  };
}

/** Every profile under `dir` (one folder per child), busiest first; idle threads are left out. */
export function summarizeProfiles(dir: string, top = 15): ProfileSummary[] {
  let files: string[] = [];
  try {
    files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return [];
  }
  return files
    .map((f) => ({ ...summarizeProfile(path.join(dir, f), top), file: f }))
    .filter((s) => (s.topModules.find((m) => m.module === '(idle)')?.percent ?? 0) < 90)
    .sort((a, b) => busy(b) - busy(a));
}

const busy = (s: ProfileSummary) =>
  s.totalMs * (1 - (s.topModules.find((m) => m.module === '(idle)')?.percent ?? 0) / 100);

export function renderProfile(s: ProfileSummary): string {
  const lines = [`${s.file}: ${s.totalMs} ms sampled; top self time by module:`];
  for (const m of s.topModules.slice(0, 10)) lines.push(`  ${String(m.percent).padStart(5)}%  ${m.module}`);
  lines.push(`  of the ${s.busyMs} ms busy, stacks containing:`);
  for (const m of s.stacksContaining.slice(0, 12))
    lines.push(`  ${String(m.percent).padStart(5)}%  ${m.label}`);
  lines.push('  of the busy time, by outermost Shopfloor frame:');
  for (const m of s.outermostShopfloorFrame.slice(0, 10))
    lines.push(`  ${String(m.percent).padStart(5)}%  ${m.label}`);
  lines.push('  of the busy time, by innermost package frame (node internals charged to their caller):');
  for (const m of s.innermostPackage.slice(0, 14))
    lines.push(`  ${String(m.percent).padStart(5)}%  ${m.label}`);
  lines.push('  top functions (self):');
  for (const f of s.topFunctions) lines.push(`  ${String(f.percent).padStart(5)}%  ${f.name}  ${f.where}`);
  return lines.join('\n');
}

// `tsx bench/src/profile-summary.ts <file-or-dir>` prints the summary of existing profiles.
if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const target = process.argv[2] ?? '.';
  const summaries = target.endsWith('.cpuprofile')
    ? [summarizeProfile(target, 25)]
    : summarizeProfiles(target, 25);
  for (const s of summaries) console.log(`${renderProfile(s)}\n`);
}
