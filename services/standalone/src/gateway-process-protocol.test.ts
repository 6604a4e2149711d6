import { afterEach, describe, expect, test } from 'vitest';
import { childExecArgv } from './gateway-process-protocol.ts';

describe('childExecArgv', () => {
  const parent = process.execArgv;
  afterEach(() => {
    process.execArgv = parent;
  });

  test("keeps the parent's flags but its heap flags and inspector, and adds the configured heap flags", () => {
    process.execArgv = [
      '--import',
      'tsx',
      '--max-old-space-size=2048',
      '--heap-growing-percent=50',
      '--inspect=9229',
      '--cpu-prof',
    ];
    expect(childExecArgv(['--max-old-space-size=384', '--heap-growing-percent=300'])).toEqual([
      '--import',
      'tsx',
      '--cpu-prof',
      '--max-old-space-size=384',
      '--heap-growing-percent=300',
    ]);
    expect(childExecArgv([])).toEqual(['--import', 'tsx', '--cpu-prof']);
  });
});
