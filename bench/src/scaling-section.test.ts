import { describe, expect, test } from 'vitest';
import { parseBenchOptions, UsageError } from './options.ts';
import { promSum } from './scaling-section.ts';

describe('scaling options', () => {
  test('the scaling section runs only when asked for, with 1, 2 and 3 dedupe processes by default on 3+ partitions', () => {
    const all = parseBenchOptions([], '/tmp/out');
    expect(all.sections).not.toContain('scaling');
    const scaling = parseBenchOptions(
      ['--sections=scaling', '--scaling-seconds=20', '--partitions=6'],
      '/tmp/out',
    );
    expect(scaling.sections).toEqual(['scaling']);
    expect(scaling.scalingProcesses).toEqual([1, 2, 3]);
    expect(scaling.scalingSeconds).toBe(20);
  });

  test('the default counts stop at the partition count; more processes than partitions is refused', () => {
    expect(parseBenchOptions(['--partitions=2'], '/tmp/out').scalingProcesses).toEqual([1, 2]);
    expect(() => parseBenchOptions(['--partitions=2', '--scaling-processes=1,3'], '/tmp/out')).toThrow(
      UsageError,
    );
    expect(
      parseBenchOptions(['--partitions=4', '--scaling-processes=4'], '/tmp/out').scalingProcesses,
    ).toEqual([4]);
  });
});

describe('promSum', () => {
  test('sums every label set of one metric and nothing else', () => {
    const text = [
      '# HELP shopfloor_dedupe_transaction_records Raw records per committed dedupe transaction.',
      'shopfloor_dedupe_transaction_records_bucket{le="10"} 3',
      'shopfloor_dedupe_transaction_records_sum 1520',
      'shopfloor_dedupe_transaction_records_count 4',
      'shopfloor_projector_group_records_sum{stream="a"} 10',
      'shopfloor_projector_group_records_sum{stream="b"} 5.5',
    ].join('\n');
    expect(promSum(text, 'shopfloor_dedupe_transaction_records_sum')).toBe(1520);
    expect(promSum(text, 'shopfloor_dedupe_transaction_records_count')).toBe(4);
    expect(promSum(text, 'shopfloor_projector_group_records_sum')).toBe(15.5);
    expect(promSum(text, 'shopfloor_missing_total')).toBe(0);
  });
});
