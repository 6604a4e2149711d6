/** The parts of a V8 .cpuprofile that stack attribution needs. */
export type ProfileNode = {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
};

export type StackShare = { label: string; percent: number };

/** Where a frame's code lives: an npm package, a Shopfloor workspace package, or a pseudo-frame. */
export function moduleOf(url: string, name: string): string {
  if (!url) return name.startsWith('(') ? name : '(native)';
  const nm = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const ws = /\/(packages|services|infra|bench)\/([^/]+)\//.exec(url);
  if (ws) return `@shopfloor/${ws[2]} (${ws[1]})`;
  if (url.startsWith('node:')) return 'node:internal';
  return url;
}

/** A profile's call tree: a node's frame, and the frames from a sample's node up to the root. */
export function callTree(nodes: readonly ProfileNode[]) {
  const parent = new Map<number, number>();
  for (const n of nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return {
    frame: (id: number) => byId.get(id)?.callFrame,
    /** The frames of `id`'s stack, innermost first. */
    *stack(id: number) {
      for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
        const frame = byId.get(at)?.callFrame;
        if (frame) yield frame;
      }
    },
  };
}

const isShopfloor = (module: string) => module.startsWith('@shopfloor/');
/** node internals, natives and pseudo-frames: not a package that can be blamed for the work. */
const isPackage = (module: string) => !/^(node:internal|\(.*\)|file:|\/)/.test(module);

/**
 * Inclusive shares of the busy samples (idle left out): per module, the share of samples whose
 * stack contains it at all; per Shopfloor package, the share whose OUTERMOST Shopfloor frame is in
 * it (which component the work was done for), with "(no Shopfloor frame)" for the rest
 * (socket reads, timers, library internals reached from the event loop); per package, the share
 * whose INNERMOST package frame is in it (node internals such as Buffer copies are charged to the
 * package that called them; GC and idle-free pseudo-frames stay as they are).
 */
export function stackShares(
  nodes: readonly ProfileNode[],
  samples: readonly number[],
  deltas: readonly number[],
): { containing: StackShare[]; outermost: StackShare[]; innermostPackage: StackShare[]; busyMs: number } {
  const tree = callTree(nodes);
  const stackCache = new Map<number, { modules: Set<string>; outer: string; inner: string }>();
  const stackOf = (id: number) => {
    let cached = stackCache.get(id);
    if (cached) return cached;
    const modules = new Set<string>();
    let outer = '(no Shopfloor frame)';
    let inner = '';
    for (const frame of tree.stack(id)) {
      const m = moduleOf(frame.url, frame.functionName);
      modules.add(m);
      if (isShopfloor(m)) outer = m;
      if (!inner && isPackage(m)) inner = m;
    }
    const leaf = tree.frame(id);
    cached = { modules, outer, inner: inner || (leaf ? moduleOf(leaf.url, leaf.functionName) : '?') };
    stackCache.set(id, cached);
    return cached;
  };
  const containing = new Map<string, number>();
  const outermost = new Map<string, number>();
  const innermost = new Map<string, number>();
  let busyUs = 0;
  samples.forEach((id, i) => {
    const name = tree.frame(id)?.functionName;
    if (name === '(idle)') return;
    const dt = deltas[i] ?? 0;
    busyUs += dt;
    const { modules, outer, inner } = stackOf(id);
    innermost.set(inner, (innermost.get(inner) ?? 0) + dt);
    for (const m of modules) containing.set(m, (containing.get(m) ?? 0) + dt);
    outermost.set(outer, (outermost.get(outer) ?? 0) + dt);
  });
  const shares = (m: Map<string, number>) =>
    [...m]
      .map(([label, us]) => ({ label, percent: Math.round((1000 * us) / Math.max(busyUs, 1)) / 10 }))
      .filter((s) => s.label !== '(root)')
      .sort((a, b) => b.percent - a.percent);
  return {
    containing: shares(containing),
    outermost: shares(outermost),
    innermostPackage: shares(innermost),
    busyMs: Math.round(busyUs / 1000),
  };
}
