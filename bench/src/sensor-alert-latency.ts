import { setTimeout as sleep } from 'node:timers/promises';
import { type AlertStageMeans, alertStageMeans } from './alert-stage-means.ts';
import { type CpuPerEvent, cpuPerEvent } from './cpu-per-event.ts';
import { type EngineActivity, engineActivity, engineCounters } from './engine-activity.ts';
import type { HttpClient } from './http-client.ts';
import { OpenLoopPosts } from './open-loop-posts.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import { runUntilVisible } from './run-until-visible.ts';
import { processorFigures, type SensorProcessorFigures, sensorCounters } from './sensor-ingest.ts';
import { baselineBody, readingsBody, sensorFleet, spikeBody } from './sensor-readings.ts';
import { type EventLoopLag, eventLoopLag, routeMeanMs } from './server-side-figures.ts';
import { fmtInt, type LatencySummary, summarize } from './stats.ts';
import type { BenchContext, SystemUnderTest } from './system-under-test.ts';

export type AlertLatencyResult = {
  targetPerSec: number;
  /** Background readings acknowledged per second of the run (spikes aside). */
  achievedPerSec: number;
  seconds: number;
  spikes: number;
  /** Spikes whose alert was not in /api/alerts/history within the probe timeout. */
  timedOut: number;
  /** Alerts found with another severity than CRITICAL (a z ≈ 170 spike). */
  wrongSeverity: number;
  /** Background batches not sent on time because too many were in flight (the system fell behind). */
  skipped: number;
  errors: number;
  /** The errors by kind (answer status and code, or the request's failure); '' with none. */
  errorKinds?: string;
  /** The spike's 202 (async: durable in Kafka) → its alert in GET /api/alerts/history. */
  latency: LatencySummary;
  /**
   * The GET /api/alerts/history polls: how many, their answer times (the measurement's own cost),
   * and the server's own mean per answer (the rest is the wait for its event loop).
   */
  polls: { n: number; answer: LatencySummary; serverMeanMs: number | undefined };
  /** The pipeline's event loop delay over the run (undefined if it does not serve it). */
  eventLoopLag: EventLoopLag | undefined;
  /** The wall-clock time the run started (to line the slowest spikes up with logs). */
  startedAt: string;
  /** The five slowest spikes: when their 202 came (seconds into the run) and their latency, slowest first. */
  slowest: { atS: number; ms: number }[];
  /** The pipeline's own means per stage (its /metrics histogram), undefined if not served. */
  stages: AlertStageMeans | undefined;
  /** The processor's transactions and changelog writes over the run (undefined without counters). */
  processor: SensorProcessorFigures | undefined;
  /** The embedded engine's statements and merges over the run, per 1000 readings sent. */
  engine: EngineActivity | undefined;
  usage: Record<string, ProcessUsage>;
  cpuPerReading: CpuPerEvent | undefined;
};

const BATCH = 500;
/** Baselines posted this many pieces of equipment at a time (under the webhook's 10 000 readings per post). */
const BASELINE_EQUIPMENT_PER_POST = 100;
const POLL_MS = 20;
/** How far before a spike's send its alert may be stamped (raisedAt is the webhook's clock, the same machine's). */
const RAISED_AT_MARGIN_MS = 1000;
const PROBE_TIMEOUT_MS = 30_000;
const BASELINE_READINGS = 40;
const MAX_IN_FLIGHT = 16;

/**
 * Open loop of normal readings at `ratePerSec` (async, 500 per post) while, every 500 ms, a spike
 * is posted for a piece of equipment of its own (its baseline filled before the run): from the
 * spike's 202 until its alert is in GET /api/alerts/history, polled by one loop (20 ms between
 * answers) for all spikes in flight. The poll's answer time is taken, so a figure is an upper bound
 * by about one poll interval plus one query. The poll asks only while a spike's alert is unfound,
 * and only for alerts raised since the oldest unfound spike was sent, so the measurement adds a
 * few small queries, not a growing page 50 times a second (its answer times are in the result).
 */
export async function runAlertLatency(
  ctx: BenchContext,
  http: { load: HttpClient; probe: HttpClient } & Pick<SystemUnderTest, 'child'>,
  ratePerSec: number,
  seconds: number,
): Promise<AlertLatencyResult> {
  // Two spikes a second by default: more would load what is measured (ten a second made every alert's
  // pipeline path 1.3-1.8x slower; bench/README "Alert latency row"). Samples come from the run's
  // length instead: 120 s gives ~240 alerts, so the nearest-rank p99 is the third slowest.
  const spikeEveryMs = ctx.options.alertSpikeMs;
  const load = sensorFleet(`${ctx.runTag}-s-alert`, 200);
  const probes = sensorFleet(`${ctx.runTag}-s-probe`, Math.ceil((seconds * 1000) / spikeEveryMs) + 2, 13);
  // Every probe's baseline past the minimum window, in sync posts, before the clock starts.
  for (let from = 0; from < probes.equipment.length; from += BASELINE_EQUIPMENT_PER_POST) {
    const to = Math.min(probes.equipment.length, from + BASELINE_EQUIPMENT_PER_POST);
    const filled = await http.load.request(
      'POST',
      '/api/webhook/sensor-data',
      baselineBody(probes, 0, BASELINE_READINGS, from, to),
    );
    // 202 (not decided within the sync timeout) is fine too: a spike follows its baseline in the log.
    if (filled.status !== 200 && filled.status !== 202)
      throw new Error(`probe baselines: ${filled.status} ${filled.body.slice(0, 300)}`);
  }
  const scrapeMetrics = async () => {
    const reply = await http.probe.request('GET', '/metrics');
    return reply.status === 200 ? reply.body : '';
  };
  const metricsBefore = await scrapeMetrics();
  const spikeSeq = probes.equipment.length * BASELINE_READINGS;
  const latencies: number[] = [];
  const acked: { at: number; ms: number }[] = []; // every spike's 202 time and latency, for the slowest
  const waiting = new Map<string, number>(); // equipmentId -> its spike's 202 time
  const unfound = new Map<string, number>(); // equipmentId -> its spike's send time (Date.now()), until found
  const pollMs: number[] = [];
  const seenEarly = new Map<string, number>(); // alerts found before their 202 arrived
  let timedOut = 0;
  let wrongSeverity = 0;
  const found = (equipmentId: string, ackAt: number, seenAt: number, severity: string) => {
    latencies.push(Math.max(0, seenAt - ackAt));
    acked.push({ at: ackAt, ms: Math.max(0, seenAt - ackAt) });
    if (severity !== 'CRITICAL') wrongSeverity++;
    waiting.delete(equipmentId);
  };
  // Spikes are sent in order and each once, and the Map keeps insertion order: its first entry is
  // the oldest unfound spike.
  const oldestUnfound = () => unfound.values().next().value ?? Number.POSITIVE_INFINITY;
  const severities = new Map<string, string>();
  const onAck = (equipmentId: string, ackAt: number) => {
    const early = seenEarly.get(equipmentId);
    if (early === undefined) waiting.set(equipmentId, ackAt);
    else found(equipmentId, ackAt, early, severities.get(equipmentId) ?? '');
  };
  // One poller for every spike in flight (alerts raised since the oldest unfound spike was sent,
  // matched by equipment), so the query load on the system stays one request at a time however
  // many spikes wait, and none while every sent spike's alert is found.
  let sending = true;
  const probeIds = new Set(probes.equipment);
  const pollAlerts = async () => {
    const since = oldestUnfound();
    const r = Number.isFinite(since)
      ? await http.probe
          .get(`/api/alerts/history?from=${new Date(since - RAISED_AT_MARGIN_MS).toISOString()}&limit=500`)
          .catch(() => undefined)
      : undefined;
    if (r) pollMs.push(r.ms);
    if (r?.status === 200) {
      const { alerts } = JSON.parse(r.body) as { alerts: { equipmentId: string; severity: string }[] };
      for (const a of alerts) {
        if (!probeIds.has(a.equipmentId) || severities.has(a.equipmentId)) continue;
        severities.set(a.equipmentId, a.severity);
        unfound.delete(a.equipmentId);
        const ackAt = waiting.get(a.equipmentId);
        if (ackAt === undefined) seenEarly.set(a.equipmentId, r.endedAt);
        else found(a.equipmentId, ackAt, r.endedAt, a.severity);
      }
    }
    const now = performance.now();
    const wallNow = Date.now();
    // A spike whose post failed has no 202 to time out from: it stops being looked for here.
    for (const [equipmentId, sentAt] of unfound)
      if (wallNow - sentAt > PROBE_TIMEOUT_MS) unfound.delete(equipmentId);
    for (const [equipmentId, ackAt] of waiting) {
      if (now - ackAt > PROBE_TIMEOUT_MS) {
        timedOut++;
        waiting.delete(equipmentId);
        unfound.delete(equipmentId);
      }
    }
    return !sending && waiting.size === 0;
  };
  const poller = runUntilVisible(pollAlerts, {
    intervalMs: POLL_MS,
    deadline: Number.POSITIVE_INFINITY, // each spike has its own timeout above
    aborted: () => ctx.aborted(),
  });

  const counters0 = await sensorCounters(http);
  const engine0 = await engineCounters(http.child);
  const usage = ctx.sampler.window();
  const t0 = performance.now();
  const startedAt = new Date().toISOString();
  const end = t0 + seconds * 1000;
  const intervalMs = (BATCH * 1000) / ratePerSec;
  let nextAt = t0;
  let nextSpikeAt = t0 + spikeEveryMs / 2;
  let lastReport = t0;
  let sent = 0;
  let batchNo = 0;
  let spikes = 0;
  let skipped = 0;
  const posts = new OpenLoopPosts(http.load, '/api/webhook/sensor-data?mode=async');
  while (!ctx.aborted() && performance.now() < end) {
    const now = performance.now();
    if (now >= nextSpikeAt && spikes < probes.equipment.length) {
      nextSpikeAt += spikeEveryMs;
      const e = spikes++;
      unfound.set(probes.equipment[e]!, Date.now());
      posts.post(spikeBody(probes, e, spikeSeq + e), (ackAt) => onAck(probes.equipment[e]!, ackAt));
      continue;
    }
    if (now < nextAt) {
      await sleep(Math.min(nextAt - now, nextSpikeAt - now, 50));
      continue;
    }
    nextAt += intervalMs;
    if (posts.inFlight >= MAX_IN_FLIGHT) {
      skipped++;
      continue;
    }
    posts.post(readingsBody(load, batchNo++ * BATCH, BATCH), () => {
      sent += BATCH;
    });
    if (now - lastReport > 2000) {
      lastReport = now;
      const s = summarize(latencies);
      ctx.progress(
        `[sensors alert latency @ ${fmtInt(ratePerSec)}/s] ${((now - t0) / 1000).toFixed(0)} s: sent ${fmtInt(sent)}, alerts ${latencies.length}/${spikes}, p50 ${s.p50} ms, p99 ${s.p99} ms, skipped ${skipped}`,
      );
    }
  }
  await posts.settled();
  const elapsed = (performance.now() - t0) / 1000;
  sending = false;
  await poller;
  const used = usage.end();
  const metricsAfter = await scrapeMetrics();
  const stages = alertStageMeans(metricsBefore, metricsAfter);
  const processor = processorFigures(counters0, await sensorCounters(http));
  const engine = engineActivity(engine0, await engineCounters(http.child), sent + spikes);
  const result: AlertLatencyResult = {
    targetPerSec: Math.round(ratePerSec),
    achievedPerSec: Math.round(sent / elapsed),
    seconds: Math.round(elapsed),
    spikes,
    timedOut,
    wrongSeverity,
    skipped,
    errors: posts.errors,
    errorKinds: posts.errorsText(),
    latency: summarize(latencies),
    polls: {
      n: pollMs.length,
      answer: summarize(pollMs),
      serverMeanMs: routeMeanMs(metricsBefore, metricsAfter, '/api/alerts/history'),
    },
    eventLoopLag: eventLoopLag(metricsAfter),
    startedAt,
    slowest: [...acked]
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 5)
      .map(({ at, ms }) => ({ atS: Math.round((at - t0) / 100) / 10, ms: Math.round(ms) })),
    stages,
    processor,
    engine,
    usage: used,
    cpuPerReading: cpuPerEvent(used, sent + spikes, ctx.idleUsage),
  };
  ctx.progress(
    `[sensors alert latency] done: p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms over ${result.latency.n} spikes (${timedOut} timed out) at ${fmtInt(result.achievedPerSec)} readings/s`,
  );
  return result;
}
