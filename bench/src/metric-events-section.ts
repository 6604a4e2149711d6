import { type CpuPerEvent, cpuPerEvent, cpuPerEventText } from './cpu-per-event.ts';
import type { HttpClient } from './http-client.ts';
import type { ProcessUsage } from './proc-sampler.ts';
import type { TableRow } from './report.ts';
import { fmtInt, type LatencySummary, round, summarize } from './stats.ts';
import type { BenchContext } from './system-under-test.ts';

export type MetricEventsScenarioResult = {
  name: string;
  path: string;
  eventsPerPost: number;
  clients: number;
  seconds: number;
  events: number;
  eventsPerSec: number;
  requests: number;
  /** 202: not final within the sync timeout (the figure counts only final answers). */
  pending: number;
  /** 429/503 answers (load shed). */
  shed: number;
  errors: number;
  lastError?: string;
  latency: LatencySummary;
  usage: Record<string, ProcessUsage>;
  cpuPerEvent: CpuPerEvent | undefined;
};

export type MetricEventsResult = { scenarios: MetricEventsScenarioResult[] };

/** New, distinct events (identity is the content: a unique timestamp each), as strings. */
function eventSource(tag: string) {
  let seq = 0;
  const base = Date.now() - 3_600_000;
  return () => {
    const k = seq++;
    return `{"client_id":"${tag}-c${k % 50}","source":"bench","payload":{"metric":"m${k % 7}","amount":${k % 1000},"timestamp":"${new Date(base + k).toISOString()}"}}`;
  };
}

/**
 * Closed loop: `clients` post for `seconds`, each answer sync (201/200 once the outcome is visible
 * to queries). A 1-event post pays the whole path (append, processor transaction, projector group,
 * wake-up) per request; a 100-event post shares it.
 */
async function runScenario(
  ctx: BenchContext,
  load: HttpClient,
  name: string,
  path: string,
  perPost: number,
): Promise<MetricEventsScenarioResult> {
  const { clients, metricSeconds: seconds } = ctx.options;
  const next = eventSource(`${ctx.runTag}-me-${perPost}`);
  const latencies: number[] = [];
  let events = 0;
  let pending = 0;
  let shed = 0;
  let errors = 0;
  let lastError: string | undefined;
  const usage = ctx.sampler.window();
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  const maxRequests = seconds * 20_000;
  let requests = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (!ctx.aborted() && performance.now() < until && requests++ < maxRequests) {
        const body = perPost === 1 ? next() : `[${Array.from({ length: perPost }, next).join(',')}]`;
        const r = await load
          .request('POST', path, body)
          .catch((err: Error) => ({ status: 0, body: err.message, ms: 0 }));
        if (r.status === 201 || r.status === 200) {
          latencies.push(r.ms);
          events += perPost;
        } else if (r.status === 202) pending++;
        else {
          if (r.status === 429 || r.status === 503) shed++;
          else errors++;
          lastError = `${r.status} ${r.body.slice(0, 200)}`;
        }
      }
    }),
  );
  const elapsed = (performance.now() - t0) / 1000;
  const used = usage.end();
  const result: MetricEventsScenarioResult = {
    name,
    path,
    eventsPerPost: perPost,
    clients,
    seconds: round(elapsed, 1),
    events,
    eventsPerSec: Math.round(events / elapsed),
    requests: latencies.length,
    pending,
    shed,
    errors,
    ...(lastError ? { lastError } : {}),
    latency: summarize(latencies),
    usage: used,
    cpuPerEvent: cpuPerEvent(used, events, ctx.idleUsage),
  };
  ctx.progress(
    `[metric-events ${name}] done: ${fmtInt(result.eventsPerSec)} events/s, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms, ${pending} pending, ${shed} shed, ${errors} errors; ${cpuPerEventText(result.cpuPerEvent)}`,
  );
  return result;
}

/** The metric-events stream's ingest: 1-event `POST /events` and 100-event `POST /events/batch-metrics`. */
export async function runMetricEventsSection(
  ctx: BenchContext,
  load: HttpClient,
): Promise<MetricEventsResult> {
  const scenarios: MetricEventsScenarioResult[] = [];
  const warm = eventSource(`${ctx.runTag}-me-warmup`);
  for (let i = 0; i < 20 && !ctx.aborted(); i++)
    await load.request('POST', '/events', warm()).catch(() => {});
  for (const [name, path, n] of [
    ['1-event', '/events', 1],
    ['100-event', '/events/batch-metrics', 100],
  ] as const) {
    if (ctx.aborted()) break;
    scenarios.push(await runScenario(ctx, load, name, path, n));
  }
  return { scenarios };
}

export function metricEventsRows(m: MetricEventsResult | undefined): TableRow[] {
  return (m?.scenarios ?? []).map((s) => ({
    section: 'metric-events',
    measurement: `${s.name} POST ${s.path} (sync) x${s.clients} clients, ${s.seconds} s`,
    result: `${fmtInt(s.eventsPerSec)} events/s (${fmtInt(s.requests)} posts answered final${s.pending ? `, ${s.pending} pending` : ''}${s.shed ? `, ${s.shed} shed` : ''}${s.errors ? `, ${s.errors} errors` : ''}); post p50 ${s.latency.p50} / p99 ${s.latency.p99} / max ${s.latency.max} ms; ${cpuPerEventText(s.cpuPerEvent)}`,
    target: '',
    verdict: '',
  }));
}
