import { describe, expect, it } from 'vitest';
import type { RestoreReport } from './changelog-restorer.ts';
import { RestoreCoordinator, type RestorePartitions, RestoreSuperseded } from './restore-coordinator.ts';

const heartbeat = async () => {};
const report = (partition: number): RestoreReport => ({ partition, from: '0', to: '1', records: 1, ms: 1 });
const tick = () => new Promise((r) => setTimeout(r, 0));

type Call = {
  partitions: number[];
  heartbeat: () => Promise<void>;
  finish: () => void;
  fail: (err: Error) => void;
};

/** A restore function that records its calls and finishes (or fails) when the test says so. */
function fakeRestore() {
  const calls: Call[] = [];
  let running = 0;
  let overlapped = false;
  const restore: RestorePartitions = (partitions, hb) => {
    running++;
    if (running > 1) overlapped = true;
    return new Promise<RestoreReport[]>((resolve, reject) => {
      calls.push({ partitions, heartbeat: hb, finish: () => resolve(partitions.map(report)), fail: reject });
    }).finally(() => running--);
  };
  return { restore, calls, overlapped: () => overlapped };
}

describe('RestoreCoordinator', () => {
  it('a group join restores every assigned partition at once, before any batch; batches wait for it', async () => {
    const { restore, calls } = fakeRestore();
    const restored: RestoreReport[] = [];
    const coordinator = new RestoreCoordinator(restore, (reports) => restored.push(...reports));
    expect(coordinator.progress()).toEqual({ joined: false, assigned: [], pending: [] });
    coordinator.assign([2, 0, 1]);
    expect(coordinator.assigned()).toEqual([0, 1, 2]);
    await tick();
    expect(calls.map((c) => c.partitions)).toEqual([[0, 1, 2]]);
    expect(coordinator.progress()).toEqual({ joined: true, assigned: [0, 1, 2], pending: [0, 1, 2] });
    const first = coordinator.ensureRestored(1, heartbeat);
    const second = coordinator.ensureRestored(2, heartbeat);
    calls[0]!.finish();
    await Promise.all([first, second]);
    expect(restored.map((r) => r.partition)).toEqual([0, 1, 2]);
    expect(coordinator.progress().pending).toEqual([]);
    await coordinator.ensureRestored(0, heartbeat);
    expect(calls).toHaveLength(1);
  });

  it('keeps the group membership of waiting batches: the restore heartbeats through them', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0]);
    await tick();
    let beats = 0;
    const waiting = coordinator.ensureRestored(0, async () => {
      beats++;
    });
    await calls[0]!.heartbeat();
    expect(beats).toBe(1);
    calls[0]!.finish();
    await waiting;
    await calls[0]!.heartbeat(); // no batch waits any more: nothing to call
    expect(beats).toBe(1);
  });

  it('restores an invalidated partition again, alone, and is not done until then', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0, 1]);
    await tick();
    calls[0]!.finish();
    await coordinator.ensureRestored(0, heartbeat);
    coordinator.invalidate(1);
    expect(coordinator.progress().pending).toEqual([1]);
    const again = coordinator.ensureRestored(1, heartbeat);
    await tick();
    expect(calls.map((c) => c.partitions)).toEqual([[0, 1], [1]]);
    calls[1]!.finish();
    await again;
    expect(coordinator.progress().pending).toEqual([]);
  });

  it('a failed restore is reported, retried in the background, and by the next batch', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore, undefined, { retryDelayMs: () => 5 });
    coordinator.assign([0, 1]);
    await tick();
    const failing = coordinator.ensureRestored(0, heartbeat);
    calls[0]!.fail(new Error('broker gone'));
    await expect(failing).rejects.toThrow('broker gone');
    expect(coordinator.progress()).toMatchObject({ pending: [0, 1], lastError: 'broker gone' });
    await new Promise((r) => setTimeout(r, 30));
    expect(calls.map((c) => c.partitions)).toEqual([
      [0, 1],
      [0, 1],
    ]);
    const batch = coordinator.ensureRestored(1, heartbeat); // waits for the background retry
    calls[1]!.finish();
    await batch;
    expect(calls).toHaveLength(2);
    expect(coordinator.progress()).toEqual({ joined: true, assigned: [0, 1], pending: [] });
  });

  it('a new join supersedes the restore in flight; the next restore starts only after it ended', async () => {
    const { restore, calls, overlapped } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([0]);
    await tick();
    const old = coordinator.ensureRestored(0, heartbeat);
    coordinator.assign([0, 3]);
    await tick();
    expect(calls).toHaveLength(1); // the new one waits for the old one
    await expect(calls[0]!.heartbeat()).rejects.toBeInstanceOf(RestoreSuperseded);
    calls[0]!.fail(new RestoreSuperseded());
    await expect(old).rejects.toBeInstanceOf(RestoreSuperseded);
    await tick();
    expect(calls[1]!.partitions).toEqual([0, 3]);
    expect(coordinator.progress()).toMatchObject({ pending: [0, 3] });
    expect(coordinator.progress().lastError).toBeUndefined();
    const afterJoin = coordinator.ensureRestored(5, heartbeat);
    await tick();
    calls[1]!.finish();
    await tick();
    calls[2]!.finish();
    await afterJoin;
    expect(calls[2]!.partitions).toEqual([5]);
    expect(coordinator.progress().pending).toEqual([]);
    expect(overlapped()).toBe(false);
  });

  it('an empty assignment is nothing to restore; close() aborts the restore in flight', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore);
    coordinator.assign([]);
    await tick();
    expect(calls).toHaveLength(0);
    expect(coordinator.progress()).toEqual({ joined: true, assigned: [], pending: [] });
    coordinator.assign([4]);
    await tick();
    const closed = coordinator.close();
    await expect(calls[0]!.heartbeat()).rejects.toBeInstanceOf(RestoreSuperseded);
    calls[0]!.fail(new RestoreSuperseded());
    await closed;
    await expect(coordinator.ensureRestored(4, heartbeat)).rejects.toBeInstanceOf(RestoreSuperseded);
    expect(calls).toHaveLength(1);
  });

  it('eager: false restores on the first batch only (the earlier behaviour)', async () => {
    const { restore, calls } = fakeRestore();
    const coordinator = new RestoreCoordinator(restore, undefined, { eager: false });
    coordinator.assign([0, 1]);
    await tick();
    expect(calls).toHaveLength(0);
    const batch = coordinator.ensureRestored(1, heartbeat);
    await tick();
    expect(calls.map((c) => c.partitions)).toEqual([[0, 1]]);
    calls[0]!.finish();
    await batch;
  });
});
