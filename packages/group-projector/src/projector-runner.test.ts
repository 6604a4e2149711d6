import { describe, expect, it } from 'vitest';
import { GROUP_COMMIT_WINDOW_MS, groupWindowMs, type OutcomeDemand } from './projector-runner.ts';

const demand = (awaited: boolean, idleWindowMs = 250): OutcomeDemand => ({
  idleWindowMs,
  awaited: () => awaited,
  onAwaited: () => () => {},
});

describe('groupWindowMs', () => {
  it('is 0 for an immediate lane, whatever the demand', () => {
    expect(groupWindowMs('immediate', undefined)).toBe(0);
    expect(groupWindowMs('immediate', demand(false))).toBe(0);
  });

  it('is the group-commit window for a bulk projector without demand, or while a request waits', () => {
    expect(groupWindowMs('bulk', undefined)).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs(undefined, undefined)).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs('bulk', demand(true))).toBe(GROUP_COMMIT_WINDOW_MS);
  });

  it('is the idle window while nobody waits, never below the group-commit window', () => {
    expect(groupWindowMs('bulk', demand(false))).toBe(250);
    expect(groupWindowMs('bulk', demand(false, 0))).toBe(GROUP_COMMIT_WINDOW_MS);
    expect(groupWindowMs('bulk', demand(false, GROUP_COMMIT_WINDOW_MS - 1))).toBe(GROUP_COMMIT_WINDOW_MS);
  });
});
