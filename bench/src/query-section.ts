import { seededRandom } from '@shopfloor/contracts/testing';
import type { ChildHandle } from './children.ts';
import { HttpClient } from './http-client.ts';
import { DAY_MS, QUERY_DAYS, QUERY_FACTORIES, QUERY_MACHINES } from './query-data.ts';
import { type LatencySummary, round, summarize } from './stats.ts';
import type { BenchContext } from './system-under-test.ts';

export type QueryCell = {
  storedEvents: number;
  endpoint: 'stats' | 'top-defect-lines';
  window: '1h' | '30d';
  rollup: LatencySummary;
  final: LatencySummary;
  /** FINAL p50 / rollup p50. */
  ratioP50: number;
  /** Samples whose rollup answer was compared with the FINAL answer, and how many differed. */
  compared: number;
  mismatches: number;
};

export type QueryResult = { preloads: { storedEvents: number; ms: number }[]; cells: QueryCell[] };

const HOUR_MS = 3_600_000;

type Params = { id: string; startMs: number; endMs: number };

function windows(
  kind: '1h' | '30d',
  ids: readonly string[],
  n: number,
  endMs: number,
  seed: number,
): Params[] {
  const rand = seededRandom(seed);
  const start = endMs - QUERY_DAYS * DAY_MS;
  return Array.from({ length: n }, (_, i) => {
    const id = ids[Math.floor(rand() * ids.length)] ?? ids[i % ids.length]!;
    if (kind === '1h') {
      const s = start + Math.floor(rand() * (QUERY_DAYS * DAY_MS - HOUR_MS));
      return { id, startMs: s, endMs: s + HOUR_MS };
    }
    const shift = Math.floor(rand() * HOUR_MS);
    return { id, startMs: start - shift, endMs: endMs - shift };
  });
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Loads the query child to each size in turn (bulk insert, not the pipeline), then times GET
 * /stats and GET /stats/top-defect-lines (rollups) against the same answers from a FINAL scan,
 * one request at a time, for 1-hour and 30-day windows with arbitrary millisecond edges.
 */
export async function runQuerySection(ctx: BenchContext, child: ChildHandle): Promise<QueryResult> {
  const http = new HttpClient(child.url, 1);
  const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 7 * DAY_MS + 12_345;
  const result: QueryResult = { preloads: [], cells: [] };
  const cellSeconds = ctx.options.smoke ? 10 : 60;
  try {
    for (const size of ctx.options.querySizes) {
      if (ctx.aborted()) break;
      ctx.progress(`[query] bulk preload to ${size} events (insertEventChanges, not the pipeline)`);
      const loaded = await child.request<{ loaded: number; rows: number; ms: number }>('preload', {
        total: size,
        endMs,
      });
      result.preloads.push({ storedEvents: loaded.rows, ms: loaded.ms });
      ctx.progress(`[query] ${loaded.rows} events stored (${(loaded.ms / 1000).toFixed(1)} s)`);
      for (const endpoint of ['stats', 'top-defect-lines'] as const) {
        for (const win of ['1h', '30d'] as const) {
          if (ctx.aborted()) break;
          const ids = endpoint === 'stats' ? QUERY_MACHINES : QUERY_FACTORIES;
          const params = windows(
            win,
            ids,
            ctx.options.querySamples,
            endMs,
            size + win.length + endpoint.length,
          );
          const rollupPath = (p: Params) =>
            endpoint === 'stats'
              ? `/stats?machineId=${p.id}&start=${iso(p.startMs)}&end=${iso(p.endMs)}`
              : `/stats/top-defect-lines?factoryId=${p.id}&from=${iso(p.startMs)}&to=${iso(p.endMs)}&limit=10`;
          const finalPath = (p: Params) =>
            endpoint === 'stats'
              ? `/bench/final/stats?machineId=${p.id}&startMs=${p.startMs}&endMs=${p.endMs}`
              : `/bench/final/top-defect-lines?factoryId=${p.id}&fromMs=${p.startMs}&toMs=${p.endMs}&limit=10`;
          const rollupMs: number[] = [];
          const rollupAnswers: string[] = [];
          const started = performance.now();
          for (const p of params) {
            if (ctx.aborted() || performance.now() - started > cellSeconds * 1000) break;
            const r = await http.get(rollupPath(p));
            if (r.status !== 200)
              throw new Error(`GET ${rollupPath(p)}: ${r.status} ${r.body.slice(0, 300)}`);
            rollupMs.push(r.ms);
            rollupAnswers.push(normalize(endpoint, r.body));
          }
          const finalMs: number[] = [];
          let mismatches = 0;
          const finalSamples = Math.max(5, Math.ceil(ctx.options.querySamples / 4));
          const startedFinal = performance.now();
          for (const [i, p] of params.slice(0, Math.min(finalSamples, rollupAnswers.length)).entries()) {
            if (ctx.aborted() || performance.now() - startedFinal > cellSeconds * 1000) break;
            const r = await http.get(finalPath(p));
            if (r.status !== 200) throw new Error(`GET ${finalPath(p)}: ${r.status} ${r.body.slice(0, 300)}`);
            finalMs.push(r.ms);
            if (normalize(endpoint, r.body) !== rollupAnswers[i]) mismatches++;
          }
          const rollup = summarize(rollupMs);
          const final = summarize(finalMs);
          const cell: QueryCell = {
            storedEvents: loaded.rows,
            endpoint,
            window: win,
            rollup,
            final,
            ratioP50: round(final.p50 / rollup.p50, 1),
            compared: finalMs.length,
            mismatches,
          };
          result.cells.push(cell);
          ctx.progress(
            `[query ${size} ${endpoint} ${win}] rollup p50 ${rollup.p50} ms p99 ${rollup.p99} ms; FINAL p50 ${final.p50} ms p99 ${final.p99} ms; ${cell.ratioP50}x; mismatches ${mismatches}/${finalMs.length}`,
          );
        }
      }
    }
  } finally {
    http.close();
  }
  return result;
}

/** The comparable part of an answer: counts only (the API adds derived fields). */
function normalize(endpoint: 'stats' | 'top-defect-lines', body: string): string {
  const v = JSON.parse(body) as unknown;
  if (endpoint === 'stats') {
    const s = v as { eventsCount: number; defectsCount: number };
    return `${s.eventsCount}/${s.defectsCount}`;
  }
  return (v as { lineId: string; totalDefects: number; eventCount: number }[])
    .map((l) => `${l.lineId}:${l.totalDefects}/${l.eventCount}`)
    .join(',');
}
