import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { moduleOf } from './profile-stacks.ts';

// `tsx bench/src/heap-profile-summary.ts <dir-or-file>`: where a child's garbage comes from, from
// V8's sampling heap profiles (`BENCH_CHILD_NODE_ARGS="--heap-prof --heap-prof-dir=DIR"`, written
// when the child exits). Bytes allocated, by the innermost package frame of the allocating stack
// (node internals such as Buffer allocations are charged to the package that called them).

type HeapNode = {
  callFrame: { functionName: string; url: string; lineNumber: number };
  selfSize: number;
  children: HeapNode[];
};

const isPackage = (module: string) => !/^(node:internal|\(.*\)|file:|\/)/.test(module);

export function allocationByPackage(head: HeapNode): { label: string; mib: number; percent: number }[] {
  const bytes = new Map<string, number>();
  let total = 0;
  const walk = (node: HeapNode, inner: string | undefined) => {
    const m = moduleOf(node.callFrame.url, node.callFrame.functionName);
    const innermost = isPackage(m) ? m : inner;
    if (node.selfSize > 0) {
      const label = innermost ?? m;
      bytes.set(label, (bytes.get(label) ?? 0) + node.selfSize);
      total += node.selfSize;
    }
    for (const child of node.children) walk(child, innermost);
  };
  walk(head, undefined);
  return [...bytes]
    .map(([label, b]) => ({
      label,
      mib: Math.round(b / 104857.6) / 10,
      percent: Math.round((1000 * b) / Math.max(total, 1)) / 10,
    }))
    .sort((a, b) => b.mib - a.mib);
}

if (process.argv[1] && import.meta.filename === path.resolve(process.argv[1])) {
  const target = process.argv[2] ?? '.';
  const files = target.endsWith('.heapprofile')
    ? [target]
    : readdirSync(target, { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.heapprofile'))
        .map((f) => path.join(target, f));
  for (const file of files) {
    const { head } = JSON.parse(readFileSync(file, 'utf8')) as { head: HeapNode };
    const rows = allocationByPackage(head);
    console.log(`${file}: sampled allocations by innermost package frame`);
    for (const r of rows.slice(0, 20))
      console.log(`  ${String(r.percent).padStart(5)}%  ${String(r.mib).padStart(8)} MiB  ${r.label}`);
  }
}
