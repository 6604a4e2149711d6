import { setTimeout as sleep } from 'node:timers/promises';
import { type CpuPerEvent, cpuPerEvent, cpuPerEventText } from './cpu-per-event.ts';
import { type EngineActivity, engineActivity, engineCounters } from './engine-activity.ts';
import type { EngineMemory } from './engine-memory.ts';
import { batchJson, fleet } from './event-batches.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import { RequestTally } from './request-tally.ts';
import { sendThenDrain } from './run-until-visible.ts';
import { fmtInt, type LatencySummary, round, summarize } from './stats.ts';
import { type BenchContext, type SystemUnderTest, visibleCount } from './system-under-test.ts';

export type IngestScenario = {
  name: string;
  mode: 'async' | 'sync';
  batchSize: number;
  clients: number;
  seconds: number;
};

export type IngestResult = IngestScenario & {
  system: SystemUnderTest['name'];
  batchesAcked: number;
  eventsAcked: number;
  /** Sync requests answered 202 because the outcome took longer than the sync timeout. */
  syncTimeouts: number;
  errors: number;
  lastError?: string;
  sendSeconds: number;
  /** From the first request to the moment GET /stats counted every acknowledged event. */
  visibleSeconds: number;
  eventsVisible: number;
  complete: boolean;
  ackedPerSec: number;
  visiblePerSec: number;
  /** Events decided by the dedupe step per second of the scenario (from its counters). */
  dedupePerSec: number;
  /** Dedupe transactions (pipeline) or grouped inserts (baseline) in the scenario, and events per one. */
  dedupeTransactions: number;
  eventsPerTransaction: number;
  /** Ranges the projector inserted (each: a sink-offset marker plus the inserts of the range). */
  projectorRanges: number;
  recordsPerRange: number;
  requestLatency: LatencySummary;
  usage: Record<string, ProcessUsage>;
  /** CPU of every sampled process over the scenario / visible events (issue 10's main figure). */
  cpuPerEvent: CpuPerEvent | undefined;
  /** The child's memory at the end of the scenario: V8 heap, off-heap buffers, and the rest of RSS. */
  memory?: ChildMemory;
  /** The embedded engine's statements and merges over the scenario, per 1000 events visible. */
  engine?: EngineActivity;
};

/** MiB. `native` = RSS - V8 heap - external: the embedded engine, LMDB's map, code, thread stacks. */
export type ChildMemory = {
  rss: number;
  /** Of `native`, LMDB's pages mapped in (the dedupe state's file): page cache, grows with the state. */
  lmdbMapped?: number;
  heapUsed: number;
  heapTotal: number;
  /** Heap used after a full GC (only when the child runs with --expose-gc): the live part of heapUsed. */
  heapLive?: number;
  external: number;
  native: number;
  /** The embedded engine's own accounting (MemoryTracking, caches, jemalloc in MiB; parts), when readable. */
  engine?: EngineMemory;
};

async function childMemory(sut: SystemUnderTest): Promise<ChildMemory | undefined> {
  const m = await sut.child
    .request<
      NodeJS.MemoryUsage & {
        engine?: EngineMemory;
        heapLiveAfterGc?: number;
        lmdbResident?: number;
      }
    >('memory')
    .catch(() => undefined);
  if (!m) return undefined;
  const mib = (b: number) => Math.round(b / 1048576);
  const e = m.engine;
  return {
    rss: mib(m.rss),
    heapUsed: mib(m.heapUsed),
    heapTotal: mib(m.heapTotal),
    ...(m.heapLiveAfterGc === undefined ? {} : { heapLive: mib(m.heapLiveAfterGc) }),
    external: mib(m.external),
    native: mib(m.rss - m.heapTotal - m.external),
    ...(m.lmdbResident === undefined ? {} : { lmdbMapped: mib(m.lmdbResident) }),
    ...(e
      ? {
          engine: {
            tracked: mib(e.tracked),
            merges: mib(e.merges),
            caches: mib(e.caches),
            allocatorResident: mib(e.allocatorResident),
            activeParts: e.activeParts,
            maxTableParts: e.maxTableParts,
          },
        }
      : {}),
  };
}

const postPath = (mode: 'async' | 'sync') =>
  mode === 'async' ? '/events/batch?mode=async' : '/events/batch';

/**
 * Closed loop: `clients` concurrent clients post new events for `seconds` (and at most a count of
 * batches), then the sent events are polled on GET /stats until all are counted (bounded too).
 */
export async function runIngest(
  ctx: BenchContext,
  sut: SystemUnderTest,
  sc: IngestScenario,
): Promise<IngestResult> {
  const tag = `${ctx.runTag}-${sut.name}-${sc.name}`;
  const f = fleet(tag);
  const label = `[${sut.name} ${sc.name}]`;
  const sinceMs = Date.now();
  const maxBatches = Math.ceil((sc.seconds * 500_000) / sc.batchSize);
  const dedupe0 = await sut.dedupeCount();
  const engine0 = await engineCounters(sut.child);
  const usage = ctx.sampler.window();
  let visible = 0;
  const tally = new RequestTally(sc.mode);
  const sendOne = (n: number) => {
    const body = batchJson(f, tag, n * sc.batchSize, sc.batchSize, Date.now());
    return tally.count(sc.batchSize, () => sut.load.request('POST', postPath(sc.mode), body));
  };

  let counts = dedupe0;
  const { sendSeconds, visibleSeconds, ...drained } = await sendThenDrain({
    clients: sc.clients,
    seconds: sc.seconds,
    maxRequests: maxBatches,
    sendOne,
    countVisible: () => visibleCount(sut, f, sinceMs),
    acked: () => tally.itemsAcked,
    drainTimeoutMs: ctx.options.drainTimeoutSeconds * 1000,
    aborted: () => ctx.aborted(),
    report: (s) => {
      const cpu = Object.entries(ctx.sampler.current())
        .map(([k, v]) => `${k} ${v}%`)
        .join(', ');
      ctx.progress(
        `${label} ${s.toFixed(0)} s: acked ${fmtInt(tally.itemsAcked)} (${fmtInt(tally.itemsAcked / s)}/s), deduped ${fmtInt(counts.records - dedupe0.records)}, projected ${fmtInt(counts.projected - dedupe0.projected)}, visible ${fmtInt(visible)}, errors ${tally.errors + tally.shed}; cpu ${cpu}`,
      );
    },
    refresh: async () => {
      [visible, counts] = await Promise.all([visibleCount(sut, f, sinceMs), sut.dedupeCount()]);
    },
  });
  visible = drained.visible;
  const { itemsAcked: eventsAcked, requestsAcked: batchesAcked, syncTimeouts, lastError } = tally;
  const errors = tally.errors + tally.shed; // the event rows count a shed request as an error
  const dedupe1 = await sut.dedupeCount();
  const result: IngestResult = {
    ...sc,
    system: sut.name,
    batchesAcked,
    eventsAcked,
    syncTimeouts,
    errors,
    ...(lastError ? { lastError } : {}),
    sendSeconds: round(sendSeconds, 2),
    visibleSeconds: round(visibleSeconds, 2),
    eventsVisible: visible,
    complete: visible >= eventsAcked,
    ackedPerSec: Math.round(eventsAcked / sendSeconds),
    visiblePerSec: Math.round(Math.min(visible, eventsAcked) / visibleSeconds),
    dedupePerSec: Math.round((dedupe1.records - dedupe0.records) / visibleSeconds),
    dedupeTransactions: dedupe1.batches - dedupe0.batches,
    eventsPerTransaction: round(
      (dedupe1.records - dedupe0.records) / Math.max(1, dedupe1.batches - dedupe0.batches),
    ),
    projectorRanges: dedupe1.ranges - dedupe0.ranges,
    recordsPerRange: round(
      (dedupe1.projected - dedupe0.projected) / Math.max(1, dedupe1.ranges - dedupe0.ranges),
    ),
    requestLatency: summarize(tally.latencies),
    usage: usage.end(),
    cpuPerEvent: undefined,
  };
  result.cpuPerEvent = cpuPerEvent(result.usage, Math.min(visible, eventsAcked), ctx.idleUsage);
  const memory = await childMemory(sut);
  if (memory) result.memory = memory;
  const engine = engineActivity(engine0, await engineCounters(sut.child), Math.min(visible, eventsAcked));
  if (engine) result.engine = engine;
  ctx.progress(
    `${label} done: ${fmtInt(result.visiblePerSec)} events/s visible (acked ${fmtInt(result.ackedPerSec)}/s, ` +
      `drain ${(visibleSeconds - sendSeconds).toFixed(1)} s${result.complete ? '' : ', INCOMPLETE'}), errors ${errors}; ${cpuPerEventText(result.cpuPerEvent)}`,
  );
  return result;
}

export type SyncLatencyResult = {
  system: SystemUnderTest['name'];
  batchSize: number;
  batches: number;
  syncTimeouts: number;
  errors: number;
  latency: LatencySummary;
  usage: Record<string, ProcessUsage>;
  cpuPerEvent: CpuPerEvent | undefined;
  /** The embedded engine's statements and merges per 1000 events (per batch at 1000/batch). */
  engine?: EngineActivity;
};

/** One client posting 1000-event batches in default (sync) mode, one after the other. */
export async function runSyncLatency(
  ctx: BenchContext,
  sut: SystemUnderTest,
  batches: number,
  batchSize = 1000,
  maxSeconds = 600,
): Promise<SyncLatencyResult> {
  const tag = `${ctx.runTag}-${sut.name}-latency`;
  const f = fleet(tag);
  const samples: number[] = [];
  let syncTimeouts = 0;
  let errors = 0;
  const usage = ctx.sampler.window();
  const engine0 = await engineCounters(sut.child);
  const t0 = performance.now();
  let lastReport = t0;
  for (let i = 0; i < batches && !ctx.aborted() && performance.now() - t0 < maxSeconds * 1000; i++) {
    const body = batchJson(f, tag, i * batchSize, batchSize, Date.now());
    const r = await sut.load.request('POST', '/events/batch', body).catch(() => undefined);
    if (r?.status === 200) samples.push(r.ms);
    else if (r?.status === 202) syncTimeouts++;
    else errors++;
    if (performance.now() - lastReport > 2000) {
      lastReport = performance.now();
      const s = summarize(samples);
      ctx.progress(
        `[${sut.name} sync latency] ${i + 1}/${batches} batches, p50 ${s.p50} ms, p99 ${s.p99} ms`,
      );
    }
  }
  const latency = summarize(samples);
  const used = usage.end();
  const engine = engineActivity(engine0, await engineCounters(sut.child), samples.length * batchSize);
  ctx.progress(
    `[${sut.name} sync latency] done: p50 ${latency.p50} ms, p99 ${latency.p99} ms over ${latency.n} batches`,
  );
  return {
    system: sut.name,
    batchSize,
    batches: samples.length,
    syncTimeouts,
    errors,
    latency,
    usage: used,
    cpuPerEvent: cpuPerEvent(used, samples.length * batchSize, ctx.idleUsage),
    ...(engine ? { engine } : {}),
  };
}

/** Each process's CPU while nothing is sent, to tell fixed costs from per-event ones. */
export async function measureIdle(ctx: BenchContext, seconds: number): Promise<void> {
  const window = ctx.sampler.window();
  await sleep(seconds * 1000);
  ctx.idleUsage = window.end();
  const rates = Object.entries(ctx.idleUsage).map(([k, u]) => `${k} ${u.cpuPercentAvg}%`);
  ctx.progress(`idle for ${seconds} s: cpu ${rates.join(', ')}`);
}

/** A few sync batches before measuring: JIT, connections, the first ClickHouse parts. */
export async function warmUp(ctx: BenchContext, sut: SystemUnderTest, batches: number): Promise<void> {
  const tag = `${ctx.runTag}-${sut.name}-warmup`;
  const f = fleet(tag);
  for (let i = 0; i < batches && !ctx.aborted(); i++) {
    await sut.load
      .request('POST', '/events/batch', batchJson(f, tag, i * 1000, 1000, Date.now()))
      .catch(() => {});
  }
}
