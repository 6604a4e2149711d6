import { describe, expect, it } from 'vitest';
import { createFlushGate } from './flush-gate.ts';

const tick = () => new Promise((r) => setTimeout(r, 5));

describe('flush gate', () => {
  it('runs a hold only once the running flush ended, and holds later flushes until it settles', async () => {
    const gate = createFlushGate();
    const events: string[] = [];
    let endFlush!: () => void;
    const first = gate.pass(undefined, async () => {
      events.push('flush 1 start');
      await new Promise<void>((r) => {
        endFlush = r;
      });
      events.push('flush 1 end');
    });
    let endHold!: () => void;
    const hold = gate.hold(async () => {
      events.push('hold start');
      await new Promise<void>((r) => {
        endHold = r;
      });
      events.push('hold end');
      return 42;
    });
    await tick();
    const second = gate.pass(undefined, async () => {
      events.push('flush 2');
    });
    await tick();
    expect(events).toEqual(['flush 1 start']);
    endFlush();
    await tick();
    expect(events).toEqual(['flush 1 start', 'flush 1 end', 'hold start']);
    endHold();
    expect(await hold).toBe(42);
    await Promise.all([first, second]);
    expect(events).toEqual(['flush 1 start', 'flush 1 end', 'hold start', 'hold end', 'flush 2']);
  });

  it('heartbeats a held flush while it waits, and lets flushes go on after a failed hold', async () => {
    const gate = createFlushGate();
    let beats = 0;
    const hold = gate.hold(async () => {
      await new Promise((r) => setTimeout(r, 1_300));
      throw new Error('switch failed');
    });
    const flushed = gate.pass(
      async () => {
        beats++;
      },
      async () => 'flushed',
    );
    await expect(hold).rejects.toThrow('switch failed');
    expect(await flushed).toBe('flushed');
    expect(beats).toBeGreaterThanOrEqual(1);
  });
});
