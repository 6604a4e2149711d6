import { describe, expect, it } from 'vitest';
import { createGroupCommitQueue } from './group-commit-queue.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('createGroupCommitQueue', () => {
  it('hands the items offered within the window to one flush', async () => {
    const flushed: number[][] = [];
    const queue = createGroupCommitQueue<number>({
      windowMs: 20,
      flush: async (items) => void flushed.push(items),
    });
    const offers = [queue.offer(1), queue.offer(2)];
    await tick(5);
    offers.push(queue.offer(3));
    await Promise.all(offers);
    expect(flushed).toEqual([[1, 2, 3]]);
  });

  it('runs flushes one after another; items offered during a flush form the next group', async () => {
    const events: string[] = [];
    let release: () => void = () => {};
    const queue = createGroupCommitQueue<string>({
      windowMs: 1,
      flush: async (items) => {
        events.push(`start ${items.join(',')}`);
        if (items.includes('a'))
          await new Promise<void>((resolve) => {
            release = resolve;
          });
        events.push(`end ${items.join(',')}`);
      },
    });
    const first = queue.offer('a');
    await tick(10);
    const later = [queue.offer('b'), queue.offer('c')];
    await tick(10);
    expect(events).toEqual(['start a']);
    release();
    await Promise.all([first, ...later]);
    expect(events).toEqual(['start a', 'end a', 'start b,c', 'end b,c']);
  });

  it('fails the items of a failed flush only', async () => {
    let calls = 0;
    const queue = createGroupCommitQueue<number>({
      windowMs: 1,
      flush: async () => {
        calls++;
        if (calls === 1) throw new Error('ClickHouse down');
      },
    });
    const failed = queue.offer(1);
    await expect(failed).rejects.toThrow('ClickHouse down');
    await expect(queue.offer(2)).resolves.toBeUndefined();
    expect(calls).toBe(2);
  });

  it('asks for the window as each one opens', async () => {
    const flushed: number[][] = [];
    const windows = [5, 60];
    const asked: number[] = [];
    const queue = createGroupCommitQueue<number>({
      windowMs: () => {
        const ms = windows.shift() ?? 1;
        asked.push(ms);
        return ms;
      },
      flush: async (items) => void flushed.push(items),
    });
    await queue.offer(1);
    const second = queue.offer(2);
    await tick(20);
    expect(flushed).toEqual([[1]]); // the second window (60 ms) is still open
    queue.offer(3);
    await second;
    expect(flushed).toEqual([[1], [2, 3]]);
    expect(asked).toEqual([5, 60]);
  });

  it('hurry closes an open window at once, and does nothing without one', async () => {
    const flushed: number[][] = [];
    const queue = createGroupCommitQueue<number>({
      windowMs: 10_000,
      flush: async (items) => void flushed.push(items),
    });
    queue.hurry();
    const started = Date.now();
    const offers = [queue.offer(1), queue.offer(2)];
    await tick(5);
    queue.hurry();
    await Promise.all(offers);
    expect(flushed).toEqual([[1, 2]]);
    expect(Date.now() - started).toBeLessThan(5_000);
    // A new window opens with the next offer.
    const third = queue.offer(3);
    queue.hurry();
    await third;
    expect(flushed).toEqual([[1, 2], [3]]);
  });
});
