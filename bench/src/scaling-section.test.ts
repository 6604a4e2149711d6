import { describe, expect, test } from 'vitest';
import { parseBenchOptions, UsageError } from './options.ts';

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
