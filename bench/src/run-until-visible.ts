import { setTimeout as sleep } from 'node:timers/promises';

export type PollOptions = {
  /** Pause after each answer before the next probe. */
  intervalMs: number;
  /** `performance.now()` past which the poll gives up (checked after each probe). */
  deadline: number;
  aborted: () => boolean;
};

/**
 * Calls `probe` until it says what it waits for is there, the run is aborted or the deadline has
 * passed, with `intervalMs` between an answer and the next call (so one probe at a time however
 * slow the system answers). True when the probe said so.
 */
export async function runUntilVisible(probe: () => Promise<boolean>, o: PollOptions): Promise<boolean> {
  while (!o.aborted()) {
    if (await probe()) return true;
    if (performance.now() > o.deadline) return false;
    await sleep(o.intervalMs);
  }
  return false;
}

export type ClosedLoop = {
  clients: number;
  /** How long the clients send, and at most how many requests in all. */
  seconds: number;
  maxRequests: number;
  /** Request number `n` (0, 1, ... across the clients); its outcome is counted by the caller. */
  sendOne: (n: number) => Promise<void>;
  /** What the system counts as visible now, and how much was acknowledged (the drain's goal). */
  countVisible: () => Promise<number>;
  acked: () => number;
  drainTimeoutMs: number;
  aborted: () => boolean;
  /** Every 2 s while the loop runs: a progress line, and a refresh of the figures it prints. */
  report: (elapsedSeconds: number) => void;
  refresh: () => Promise<void>;
};

export type ClosedLoopTimes = {
  /** From the start until every client had stopped sending. */
  sendSeconds: number;
  /** From the start until the last visibility answer (all acknowledged, or the drain gave up). */
  visibleSeconds: number;
  /** The last visible count (an answer that failed keeps the one before). */
  visible: number;
};

const DRAIN_POLL_MS = 100;
const PROGRESS_MS = 2000;

/**
 * The closed loop of the ingest rows: `clients` concurrent senders for `seconds` (or `maxRequests`,
 * or until aborted), then visibility polled every 100 ms until all acknowledged is counted (bounded
 * by the drain timeout).
 */
export async function sendThenDrain(loop: ClosedLoop): Promise<ClosedLoopTimes> {
  const stopProgress = progressTicker(PROGRESS_MS, loop.report, loop.refresh);
  try {
    return await sendAndDrain(loop);
  } finally {
    stopProgress();
  }
}

async function sendAndDrain(loop: ClosedLoop): Promise<ClosedLoopTimes> {
  const start = performance.now();
  const deadline = start + loop.seconds * 1000;
  let next = 0;
  const client = async () => {
    while (!loop.aborted() && performance.now() < deadline && next < loop.maxRequests)
      await loop.sendOne(next++);
  };
  await Promise.all(Array.from({ length: loop.clients }, client));
  const sendEnd = performance.now();
  let visible = 0;
  let visibleAt = sendEnd;
  await runUntilVisible(
    async () => {
      visible = await loop.countVisible().catch(() => visible);
      visibleAt = performance.now();
      return visible >= loop.acked();
    },
    { intervalMs: DRAIN_POLL_MS, deadline: sendEnd + loop.drainTimeoutMs, aborted: loop.aborted },
  );
  return {
    sendSeconds: (sendEnd - start) / 1000,
    visibleSeconds: (visibleAt - start) / 1000,
    visible,
  };
}

/**
 * Every `intervalMs`: `report(seconds since start)`, and a `refresh` of the figures it prints unless
 * the previous one is still running (a slow answer must not pile up requests). Returns the stop.
 */
export function progressTicker(
  intervalMs: number,
  report: (elapsedSeconds: number) => void,
  refresh: () => Promise<void>,
): () => void {
  const t0 = performance.now();
  let refreshing = false;
  const timer = setInterval(() => {
    report((performance.now() - t0) / 1000);
    if (refreshing) return;
    refreshing = true;
    void refresh()
      .catch(() => {})
      .finally(() => {
        refreshing = false;
      });
  }, intervalMs);
  return () => clearInterval(timer);
}
