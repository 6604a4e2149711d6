import { describe, expect, it } from 'vitest';
import { progressTicker, runUntilVisible, sendThenDrain } from './run-until-visible.ts';

const never = () => false;

describe('runUntilVisible', () => {
  it('probes until the probe says visible, one probe at a time', async () => {
    let calls = 0;
    let running = 0;
    let overlapped = false;
    const seen = await runUntilVisible(
      async () => {
        running++;
        overlapped ||= running > 1;
        await new Promise((r) => setTimeout(r, 2));
        running--;
        return ++calls === 3;
      },
      { intervalMs: 1, deadline: Number.POSITIVE_INFINITY, aborted: never },
    );
    expect(seen).toBe(true);
    expect(calls).toBe(3);
    expect(overlapped).toBe(false);
  });

  it('gives up after the deadline, having probed once more past it', async () => {
    let calls = 0;
    const seen = await runUntilVisible(
      async () => {
        calls++;
        return false;
      },
      { intervalMs: 5, deadline: performance.now() + 30, aborted: never },
    );
    expect(seen).toBe(false);
    expect(calls).toBeGreaterThanOrEqual(2);
  });

  it('stops without a probe once aborted', async () => {
    let calls = 0;
    const seen = await runUntilVisible(
      async () => {
        calls++;
        return true;
      },
      { intervalMs: 1, deadline: Number.POSITIVE_INFINITY, aborted: () => true },
    );
    expect(seen).toBe(false);
    expect(calls).toBe(0);
  });
});

describe('sendThenDrain', () => {
  it('sends with every client up to the request limit, then polls until all acknowledged is visible', async () => {
    let sent = 0;
    const numbers: number[] = [];
    let stored = 0;
    let inFlight = 0;
    let maxInFlight = 0;
    const times = await sendThenDrain({
      clients: 3,
      seconds: 60,
      maxRequests: 12,
      sendOne: async (n) => {
        numbers.push(n);
        sent++;
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        inFlight--;
      },
      // The system makes 5 more visible at each look, as a pipeline catching up would.
      countVisible: async () => {
        stored = Math.min(sent, stored + 5);
        return stored;
      },
      acked: () => sent,
      drainTimeoutMs: 10_000,
      aborted: never,
      report: () => {},
      refresh: async () => {},
    });
    expect(numbers.sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(maxInFlight).toBe(3);
    expect(times.visible).toBe(12);
    expect(times.visibleSeconds).toBeGreaterThanOrEqual(times.sendSeconds);
  });

  it('keeps the last count when a visibility answer fails, and stops at the drain timeout', async () => {
    let looks = 0;
    const times = await sendThenDrain({
      clients: 1,
      seconds: 0,
      maxRequests: 10,
      sendOne: async () => {},
      countVisible: async () => {
        looks++;
        if (looks > 1) throw new Error('query failed');
        return 4;
      },
      acked: () => 10,
      drainTimeoutMs: 150,
      aborted: never,
      report: () => {},
      refresh: async () => {},
    });
    expect(looks).toBeGreaterThan(1);
    expect(times.visible).toBe(4);
    expect(times.visibleSeconds - times.sendSeconds).toBeGreaterThanOrEqual(0.15);
  });
});

const ticks = async (reports: number[], n: number) => {
  const target = reports.length + n;
  while (reports.length < target) await new Promise((r) => setTimeout(r, 2));
};

describe('progressTicker', () => {
  it('reports every tick but never starts a refresh while one is running', async () => {
    const reports: number[] = [];
    let refreshes = 0;
    let release: () => void = () => {};
    const stop = progressTicker(
      5,
      (s) => reports.push(s),
      () => {
        refreshes++;
        return new Promise<void>((r) => {
          release = r;
        });
      },
    );
    await ticks(reports, 3);
    expect(refreshes).toBe(1);
    release();
    await ticks(reports, 2);
    stop();
    expect(refreshes).toBe(2);
    const after = reports.length;
    await new Promise((r) => setTimeout(r, 20));
    expect(reports.length).toBe(after);
  });
});
