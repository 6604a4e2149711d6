import { describe, expect, test } from 'vitest';
import { groupWindowMs } from './projector-runner.ts';
import { RelayedDemand } from './relayed-demand.ts';

describe('RelayedDemand', () => {
  test('answers with the last count it was given', () => {
    const demand = new RelayedDemand();
    expect(demand.awaited()).toBe(false);
    expect(demand.waiting()).toBe(0);
    demand.update(3);
    expect(demand.awaited()).toBe(true);
    expect(demand.waiting()).toBe(3);
    demand.update(0);
    expect(demand.awaited()).toBe(false);
    demand.update(-1); // never below nobody
    expect(demand.waiting()).toBe(0);
  });

  test('tells its listeners each time more requests wait, not when fewer do; unsubscribe stops it', () => {
    const demand = new RelayedDemand();
    let told = 0;
    const unsubscribe = demand.onAwaited(() => told++);
    demand.update(1);
    demand.update(2);
    demand.update(1);
    demand.update(1);
    demand.update(0);
    expect(told).toBe(2);
    unsubscribe();
    demand.update(5);
    expect(told).toBe(2);
  });

  test("drives the projector's window as an in-process gateway's demand does", () => {
    const demand = new RelayedDemand();
    const bulkWindow = groupWindowMs('bulk', demand);
    demand.update(1);
    expect(groupWindowMs('bulk', demand)).toBeLessThan(bulkWindow);
    demand.update(2);
    expect(groupWindowMs('bulk', demand)).toBe(bulkWindow);
  });
});
