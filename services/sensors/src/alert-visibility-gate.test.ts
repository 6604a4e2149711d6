import type { OutcomeRecord } from '@shopfloor/contracts';
import { describe, expect, test } from 'vitest';
import { createAlertVisibilityGate } from './alert-visibility-gate.ts';
import type { SensorJobOutcome } from './sensor-projection.ts';

const outcome = (batchId: string, alertIds: string[] = []): SensorJobOutcome => ({
  v: 1,
  batchId,
  batchSize: 1,
  decisions: [{ seq: 0, decision: 'accepted', eventId: null }],
  alertIds,
});

function gate(options: { holdMs?: number; maxEntries?: number } = {}) {
  let clock = 0;
  const delivered: OutcomeRecord[] = [];
  const g = createAlertVisibilityGate({
    deliver: (o) => delivered.push(o),
    holdMs: options.holdMs ?? 1_000,
    maxEntries: options.maxEntries,
    now: () => clock,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { g, delivered, advance };
}

describe('the alert visibility gate (a job is answered once its readings and its alerts are visible)', () => {
  test('a job without alerts is delivered at once, as a plain outcome record', () => {
    const { g, delivered } = gate();
    g.outcomesVisible([outcome('job-1')]);
    expect(delivered).toEqual([
      { v: 1, batchId: 'job-1', batchSize: 1, decisions: [{ seq: 0, decision: 'accepted', eventId: null }] },
    ]);
  });

  test('an outcome waits for its alerts; delivered when the last one is visible', () => {
    const { g, delivered } = gate();
    g.outcomesVisible([outcome('job-1', ['a1', 'a2'])]);
    expect(delivered).toEqual([]);
    g.alertsVisible(['a1']);
    expect(delivered).toEqual([]);
    g.alertsVisible(['a2', 'other']);
    expect(delivered.map((o) => o.batchId)).toEqual(['job-1']);
    expect(g.size().held).toBe(0);
  });

  test('alerts visible before their outcome (the alert lane is the fast one): delivered at once', () => {
    const { g, delivered } = gate();
    g.alertsVisible(['a1']);
    g.outcomesVisible([outcome('job-1', ['a1']), outcome('job-2', ['a9'])]);
    expect(delivered.map((o) => o.batchId)).toEqual(['job-1']);
    g.alertsVisible(['a9']);
    expect(delivered.map((o) => o.batchId)).toEqual(['job-1', 'job-2']);
  });

  test('nothing is kept past holdMs: an old alert id is forgotten, a stale outcome is dropped', () => {
    const { g, delivered, advance } = gate({ holdMs: 1_000 });
    g.alertsVisible(['a1']);
    g.outcomesVisible([outcome('job-1', ['never'])]);
    advance(1_001);
    g.outcomesVisible([outcome('job-2', ['a1'])]); // a1 was forgotten: job-2 is held
    expect(g.size()).toEqual({ held: 1, visible: 0 });
    advance(1_001);
    g.alertsVisible([]);
    expect(g.size()).toEqual({ held: 0, visible: 0 });
    expect(delivered).toEqual([]);
  });

  test('bounded in size: the oldest entries go first', () => {
    const { g } = gate({ maxEntries: 2 });
    g.alertsVisible(['a1', 'a2', 'a3']);
    g.outcomesVisible([outcome('j1', ['x']), outcome('j2', ['y']), outcome('j3', ['z'])]);
    expect(g.size()).toEqual({ held: 2, visible: 2 });
  });
});
