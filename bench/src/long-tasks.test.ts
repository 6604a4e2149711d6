import { describe, expect, test } from 'vitest';
import { busyStretches, stretchLengths } from './long-tasks.ts';

// root -> (idle); root -> run (a Shopfloor frame) -> decode (a package frame)
const nodes = [
  { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 3] },
  { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
  {
    id: 3,
    callFrame: { functionName: 'run', url: 'file:///r/packages/dedupe/src/step.ts', lineNumber: 1 },
    children: [4],
  },
  {
    id: 4,
    callFrame: { functionName: 'decode', url: 'file:///r/node_modules/avsc/lib/types.js', lineNumber: 1 },
  },
];

describe('busyStretches', () => {
  test('consecutive non-idle samples are one stretch; idle ends it; time by component and self', () => {
    const stretches = busyStretches({
      nodes,
      samples: [2, 3, 4, 4, 2, 3, 2],
      timeDeltas: [1000, 2000, 3000, 5000, 1000, 4000, 1000],
    });
    expect(stretches.map((s) => ({ startMs: s.startMs, ms: s.ms }))).toEqual([
      { startMs: 1, ms: 10 },
      { startMs: 12, ms: 4 },
    ]);
    expect([...(stretches[0]?.byComponent ?? [])]).toEqual([['@shopfloor/dedupe (packages) run', 10]]);
    expect([...(stretches[0]?.bySelf ?? [])]).toEqual([
      ['run @shopfloor/dedupe (packages)', 2],
      ['decode avsc', 8],
    ]);
  });

  test('stretchLengths: the share of busy time in stretches of at least each bound', () => {
    const stretches = busyStretches({
      nodes,
      samples: [3, 2, 3, 2],
      timeDeltas: [30_000, 1000, 70_000, 1000],
    });
    expect(stretchLengths(stretches, [10, 50, 100])).toEqual([
      { atLeastMs: 10, stretches: 2, percentOfBusy: 100 },
      { atLeastMs: 50, stretches: 1, percentOfBusy: 70 },
      { atLeastMs: 100, stretches: 0, percentOfBusy: 0 },
    ]);
  });
});
