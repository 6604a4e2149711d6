import { describe, expect, it } from 'vitest';
import {
  GROUP_COMMIT_WINDOW_MS,
  groupWindowMs,
  hurryWhenAwaited,
  type OutcomeDemand,
} from './projector-runner.ts';

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

describe('hurryWhenAwaited', () => {
  const listening = (idleWindowMs: number) => {
    const listeners = new Set<() => void>();
    const d: OutcomeDemand = {
      idleWindowMs,
      awaited: () => false,
      onAwaited: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    };
    return { d, listeners };
  };

  it('hurries the queue each time a request starts to wait, until detached', () => {
    const { d, listeners } = listening(250);
    let hurried = 0;
    const detach = hurryWhenAwaited({ hurry: () => hurried++ }, d);
    for (const l of listeners) l();
    for (const l of listeners) l();
    expect(hurried).toBe(2);
    detach();
    expect(listeners.size).toBe(0);
  });

  it('does not listen without an idle window longer than the group-commit one (the grouping stays as it was)', () => {
    for (const idle of [0, GROUP_COMMIT_WINDOW_MS]) {
      const { d, listeners } = listening(idle);
      hurryWhenAwaited({ hurry: () => {} }, d);
      expect(listeners.size).toBe(0);
    }
    expect(hurryWhenAwaited({ hurry: () => {} }, undefined)).toBeTypeOf('function');
  });
});
