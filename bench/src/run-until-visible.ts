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
  /** True while the clients go on sending (time, batch count, abort). */
  keepSending: () => boolean;
  /** One request of a client; its outcome is counted by the caller. */
  sendOne: () => Promise<void>;
  /** What the system counts as visible now, and how much was acknowledged (the drain's goal). */
  countVisible: () => Promise<number>;
  acked: () => number;
  drainTimeoutMs: number;
  aborted: () => boolean;
};

export type ClosedLoopTimes = {
  /** `performance.now()` when every client had stopped sending. */
  sendEnd: number;
  /** `performance.now()` of the last visibility answer (all acknowledged, or the drain gave up). */
  visibleAt: number;
  /** The last visible count (an answer that failed keeps the one before). */
  visible: number;
};

const DRAIN_POLL_MS = 100;

/**
 * The closed loop of the ingest rows: `clients` concurrent senders until `keepSending` says stop,
 * then visibility polled every 100 ms until all acknowledged is counted (bounded by the drain
 * timeout).
 */
export async function sendThenDrain(loop: ClosedLoop): Promise<ClosedLoopTimes> {
  const client = async () => {
    while (loop.keepSending()) await loop.sendOne();
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
  return { sendEnd, visibleAt, visible };
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
