import { describe, expect, it } from 'vitest';
import type { RestoreReport } from './changelog-restorer.ts';
import { RestoreCoordinator, type RestorePartitions } from './restore-coordinator.ts';

const heartbeat = async () => {};
const report = (partition: number): RestoreReport => ({ partition, from: '0', to: '1', records: 1, ms: 1 });

/** A restore function that records its calls and finishes (or fails) when the test says so. */
function fakeRestore() {
  const calls: { partitions: number[]; finish: () => void; fail: (err: Error) => void }[] = [];
  const restore: RestorePartitions = (partitions) =>
    new Promise((resolve, reject) => {
      calls.push({ partitions, finish: () => resolve(partitions.map(report)), fail: reject });
    });
  return { restore, calls };
}

describe('RestoreCoordinator', () => {
  it('restores every assigned partition in one run, which all their batches wait for', async () => {
    const { restore, calls } = fakeRestore();
    const restored: RestoreReport[] = [];
    const coordinator = new RestoreCoordinator(restore, (reports) => restored.push(...reports));
    coordinator.assign([2, 0, 1]);
    expect(coordinator.assigned()).toEqual([0, 1, 2]);
    const first = coordinator.ensureRestored(1, heartbeat);
    const second = coordinator.ensureRestored(2, heartbeat);
    expect(calls.map((c) => c.partitions)).toEqual([[0, 1, 2]]);
    calls[0]!.finish();
    await Promise.all([first, second]);
    expect(restored.map((r) => r.partition)).toEqual([0, 1, 2]);
    await coordinator.ensureRestored(0, heartbeat);
    expect(calls).toHaveLength(1);
  });

  it('restores an invalidated partition again, alone', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0, 1]);
    const first = coordinator.ensureRestored(0, heartbeat);
    calls[0]!.finish();
    await first;
    coordinator.invalidate(1);
    const again = coordinator.ensureRestored(1, heartbeat);
    expect(calls.map((c) => c.partitions)).toEqual([[0, 1], [1]]);
    calls[1]!.finish();
    await again;
  });

  it('forgets a failed restore so that the next batch tries again', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0, 1]);
    const failing = coordinator.ensureRestored(0, heartbeat);
    calls[0]!.fail(new Error('broker gone'));
    await expect(failing).rejects.toThrow('broker gone');
    const retry = coordinator.ensureRestored(1, heartbeat);
    expect(calls.map((c) => c.partitions)).toEqual([
      [0, 1],
      [0, 1],
    ]);
    calls[1]!.finish();
    await retry;
  });

  it('restores everything again after a new group join, and a partition it was not told about', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0]);
    const first = coordinator.ensureRestored(0, heartbeat);
    calls[0]!.finish();
    await first;
    coordinator.assign([0, 3]);
    const afterJoin = coordinator.ensureRestored(5, heartbeat);
    expect(calls[1]!.partitions).toEqual([0, 3, 5]);
    calls[1]!.finish();
    await afterJoin;
  });
});
