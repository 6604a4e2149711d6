import { pino } from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LogMismatchError } from './log-mismatch.ts';
import { clickhouseAnswers } from './readiness-probes.ts';
import { startOrExit } from './start-or-exit.ts';

const silent = pino({ level: 'silent' });

describe('startOrExit', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const exitCodeOf = async (step: Promise<unknown>) => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    await startOrExit(silent, 'sensors', step);
    return exit.mock.lastCall?.[0];
  };

  it('passes a step that succeeds through, exiting nothing', async () => {
    const exit = vi.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    expect(await startOrExit(silent, 'sensors', Promise.resolve(42))).toBe(42);
    expect(exit).not.toHaveBeenCalled();
  });

  it("exits 3 when the log is not the derived stores', 2 on any other failure", async () => {
    expect(
      await exitCodeOf(Promise.reject(new LogMismatchError('the projector', ['topic ids differ']))),
    ).toBe(3);
    expect(await exitCodeOf(Promise.reject(new Error('registry unreachable')))).toBe(2);
  });
});

describe('clickhouseAnswers', () => {
  it("is ready when the ping answers, and fails with the ping's error", async () => {
    await expect(clickhouseAnswers({ ping: async () => ({ ok: true }) })()).resolves.toBeUndefined();
    const down = new Error('connection refused');
    await expect(clickhouseAnswers({ ping: async () => ({ ok: false, error: down }) })()).rejects.toBe(down);
  });
});
