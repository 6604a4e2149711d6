import { describe, expect, it } from 'vitest';
import { type RestoreReport, reportRestore } from './changelog-restorer.ts';

const report = (partition: number, records: number, ms: number): RestoreReport => ({
  partition,
  from: '0',
  to: String(records),
  records,
  ms,
});

describe('reportRestore', () => {
  it('reports the partitions of one restore as one: records summed, the first duration in seconds', () => {
    const seen: { records: number; seconds: number }[] = [];
    reportRestore({ stateRestored: (r) => seen.push(r) }, [report(0, 120, 250), report(1, 30, 250)]);
    expect(seen).toEqual([{ records: 150, seconds: 0.25 }]);
  });

  it('reports nothing when no partition needed a restore', () => {
    const seen: unknown[] = [];
    reportRestore({ stateRestored: (r) => seen.push(r) }, []);
    expect(seen).toEqual([]);
  });
});
