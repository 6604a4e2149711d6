import { setTimeout as sleep } from 'node:timers/promises';
import { allTimeWindow, batchJson, fleet } from './event-batches.ts';
import { OpenLoopPosts } from './open-loop-posts.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import { runUntilVisible } from './run-until-visible.ts';
import { fmtInt, type LatencySummary, summarize } from './stats.ts';
import type { BenchContext, SystemUnderTest } from './system-under-test.ts';

export type FreshnessResult = {
  targetPerSec: number;
  achievedPerSec: number;
  seconds: number;
  probes: number;
  /** Probes whose batch was not fully counted within the probe timeout. */
  probesTimedOut: number;
  /** Batches not sent on time because too many were in flight (the system fell behind). */
  skipped: number;
  errors: number;
  /** The errors by kind (answer status and code, or the request's failure); '' with none. */
  errorKinds?: string;
  /** 202 → the probe batch's FIRST event counted by GET /stats. */
  firstVisible: LatencySummary;
  /** 202 → EVERY event of the probe batch counted (the figure held against the target). */
  allVisible: LatencySummary;
  usage: Record<string, ProcessUsage>;
};

const BATCH = 1000;
const PROBE_EVERY_MS = 500;
const POLL_MS = 20;
const PROBE_TIMEOUT_MS = 30_000;

/**
 * Open loop at `ratePerSec` in async mode (1000-event batches). Every 500 ms one batch is a probe:
 * all its events are on a machine of their own, and GET /stats for that machine is polled every
 * 20 ms from the 202 until it counts the whole batch. The poll's answer time is taken, so a figure
 * is an upper bound by about one poll interval plus one query.
 */
export async function runFreshness(
  ctx: BenchContext,
  sut: SystemUnderTest,
  ratePerSec: number,
  seconds: number,
): Promise<FreshnessResult> {
  const tag = `${ctx.runTag}-fresh`;
  const load = fleet(tag);
  const since = Date.now();
  const w = allTimeWindow(since);
  const intervalMs = (BATCH * 1000) / ratePerSec;
  const maxInFlight = 32;
  const first: number[] = [];
  const all: number[] = [];
  const probes: Promise<void>[] = [];
  let sentEvents = 0;
  let skipped = 0;
  let probesTimedOut = 0;
  let batchNo = 0;
  let probeNo = 0;
  let lastProbeAt = -Infinity;

  const probe = async (machine: string, ackAt: number) => {
    let firstSeen = false;
    const url = `/stats?machineId=${encodeURIComponent(machine)}&start=${w.start}&end=${w.end}`;
    const seen = await runUntilVisible(
      async () => {
        const r = await sut.probe.get(url).catch(() => undefined);
        if (r?.status !== 200) return false;
        const count = (JSON.parse(r.body) as { eventsCount: number }).eventsCount;
        if (count > 0 && !firstSeen) {
          firstSeen = true;
          first.push(r.endedAt - ackAt);
        }
        if (count < BATCH) return false;
        all.push(r.endedAt - ackAt);
        return true;
      },
      { intervalMs: POLL_MS, deadline: ackAt + PROBE_TIMEOUT_MS, aborted: () => ctx.aborted() },
    );
    if (!seen && !ctx.aborted()) probesTimedOut++;
  };

  const usage = ctx.sampler.window();
  const t0 = performance.now();
  const end = t0 + seconds * 1000;
  let nextAt = t0;
  let lastReport = t0;
  const posts = new OpenLoopPosts(sut.load, '/events/batch?mode=async');
  while (!ctx.aborted() && performance.now() < end) {
    const now = performance.now();
    if (now < nextAt) {
      await sleep(Math.min(nextAt - now, 50));
      continue;
    }
    nextAt += intervalMs;
    if (posts.inFlight >= maxInFlight) {
      skipped++;
      continue;
    }
    const isProbe = now - lastProbeAt >= PROBE_EVERY_MS;
    const i = batchNo++;
    let body: string;
    let machine: string | undefined;
    if (isProbe) {
      lastProbeAt = now;
      machine = `${tag}-P${probeNo++}`;
      body = batchJson(
        { machines: [machine], lines: load.lines, factory: load.factory },
        tag,
        i * BATCH,
        BATCH,
        Date.now(),
      );
    } else {
      body = batchJson(load, tag, i * BATCH, BATCH, Date.now());
    }
    posts.post(body, (ackAt) => {
      sentEvents += BATCH;
      if (machine) probes.push(probe(machine, ackAt));
    });
    if (performance.now() - lastReport > 2000) {
      lastReport = performance.now();
      const s = summarize(all);
      ctx.progress(
        `[pipeline freshness @ ${fmtInt(ratePerSec)}/s] ${((lastReport - t0) / 1000).toFixed(0)} s: sent ${fmtInt(sentEvents)}, probes ${all.length}, p50 ${s.p50} ms, p99 ${s.p99} ms, skipped ${skipped}`,
      );
    }
  }
  await posts.settled();
  const elapsed = (performance.now() - t0) / 1000;
  await Promise.all(probes);
  const result: FreshnessResult = {
    targetPerSec: Math.round(ratePerSec),
    achievedPerSec: Math.round(sentEvents / elapsed),
    seconds: Math.round(elapsed),
    probes: all.length + probesTimedOut,
    probesTimedOut,
    skipped,
    errors: posts.errors,
    errorKinds: posts.errorsText(),
    firstVisible: summarize(first),
    allVisible: summarize(all),
    usage: usage.end(),
  };
  ctx.progress(
    `[pipeline freshness] done: whole batch visible p50 ${result.allVisible.p50} ms, p99 ${result.allVisible.p99} ms over ${result.allVisible.n} probes`,
  );
  return result;
}
